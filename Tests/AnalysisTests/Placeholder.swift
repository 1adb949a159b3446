import Testing

@Test func analysisPlaceholder() {}
