/// The report's stylesheet, inlined so the file needs nothing from the network.
enum ReportStyle {
    static let css = """
    :root { color-scheme: light; }
    * { box-sizing: border-box; }
    body { margin: 0; padding: 20px 28px 40px; font: 14px/1.45 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #212529; background: #f1f3f5; }
    header, section { background: #fff; border: 1px solid #dee2e6; border-radius: 6px; padding: 14px 18px; margin-bottom: 16px; }
    h1 { font-size: 20px; margin: 0 0 8px; display: flex; gap: 12px; align-items: center; flex-wrap: wrap; }
    h2 { font-size: 16px; margin: 0 0 10px; }
    h3 { font-size: 14px; margin: 14px 0 6px; }
    dl.facts { display: grid; grid-template-columns: max-content 1fr max-content 1fr; gap: 2px 14px; margin: 0 0 8px; }
    dl.facts dt { color: #868e96; }
    dl.facts dd { margin: 0; font-family: "DejaVu Sans Mono", monospace; font-size: 13px; overflow-wrap: anywhere; }
    .badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: bold; text-transform: uppercase; color: #fff; background: #868e96; }
    .badge.good { background: #2f9e44; } .badge.bad { background: #e03131; } .badge.warn { background: #f08c00; } .badge.neutral { background: #868e96; }
    .reason { margin: 6px 0; padding: 6px 10px; background: #fff5f5; border-left: 3px solid #e03131; overflow-wrap: anywhere; }
    .reason.ok { background: #ebfbee; border-color: #2f9e44; }
    pre.command { margin: 4px 0; padding: 6px 10px; background: #212529; color: #f8f9fa; border-radius: 4px; white-space: pre-wrap; overflow-wrap: anywhere; font-size: 13px; }
    .next dt { color: #495057; margin-top: 6px; }
    .next dd { margin: 0; }
    svg { display: block; max-width: 100%; height: auto; font-family: "DejaVu Sans", Arial, sans-serif; }
    svg .host-label { font-size: 12px; fill: #212529; font-family: "DejaVu Sans Mono", monospace; }
    svg .wave-label, svg .tick { font-size: 11px; fill: #868e96; }
    svg .marker { font-size: 11px; fill: #495057; }
    svg .level-label { font-size: 11px; }
    .legend { display: flex; flex-wrap: wrap; gap: 4px 14px; margin: 8px 0 0; font-size: 12px; color: #495057; padding: 0; list-style: none; }
    .legend i { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
    .legend i.line { height: 3px; vertical-align: 3px; width: 16px; }
    .legend i.dashed { height: 0; border-top: 2px dashed; background: none !important; vertical-align: 3px; width: 16px; }
    .charts { display: flex; flex-wrap: wrap; gap: 12px 24px; }
    .kpi { flex: 0 1 560px; }
    .kpi p { margin: 4px 0; font-size: 13px; overflow-wrap: anywhere; }
    table { border-collapse: collapse; width: 100%; font-size: 13px; }
    th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e9ecef; vertical-align: top; }
    th { color: #868e96; font-weight: normal; }
    td.detail { font-family: "DejaVu Sans Mono", monospace; font-size: 12px; overflow-wrap: anywhere; white-space: pre-wrap; max-width: 640px; }
    .empty { color: #868e96; font-style: italic; }
    footer { color: #868e96; font-size: 12px; }
    """
}
