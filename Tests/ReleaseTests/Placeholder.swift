import Testing

@Test func releaseModulePlaceholder() {}
