/// QGIS's style document (QML) of a categorised fill renderer: one category per class with its colour and label,
/// thin grey outlines, as QGIS 3 reads it from `layer_styles.styleQML`.
enum LayerStyleQML {
    static func categorised(_ style: GeoPackageWriter.Style) -> String {
        var categories = "", symbols = ""
        for (k, category) in style.categories.enumerated() {
            categories += "<category value=\"\(escape(category.value ?? ""))\" label=\"\(escape(category.label))\" "
                + "symbol=\"\(k)\" render=\"true\"/>"
            symbols += "<symbol type=\"fill\" name=\"\(k)\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">"
                + "<layer class=\"SimpleFill\" enabled=\"1\" locked=\"0\" pass=\"0\"><Option type=\"Map\">"
                + option("color", rgba(category.colour)) + option("outline_color", "102,102,102,255")
                + option("outline_style", "solid") + option("outline_width", "0.1") + option("outline_width_unit", "MM")
                + option("style", "solid") + "</Option></layer></symbol>"
        }
        return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
            + "<qgis version=\"3.28.0\" styleCategories=\"Symbology\">"
            + "<renderer-v2 type=\"categorizedSymbol\" attr=\"\(escape(style.column))\" symbollevels=\"0\" "
            + "enableorderby=\"0\" forceraster=\"0\" referencescale=\"-1\">"
            + "<categories>\(categories)</categories><symbols>\(symbols)</symbols></renderer-v2></qgis>\n"
    }

    private static func option(_ name: String, _ value: String) -> String {
        "<Option name=\"\(name)\" type=\"QString\" value=\"\(escape(value))\"/>"
    }

    /// `#rrggbb` as QGIS's `r,g,b,a`.
    static func rgba(_ hex: String) -> String {
        let digits = hex.hasPrefix("#") ? String(hex.dropFirst()) : hex
        guard digits.count == 6, let value = Int(digits, radix: 16) else { return "200,200,200,255" }
        return "\(value >> 16 & 0xFF),\(value >> 8 & 0xFF),\(value & 0xFF),255"
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
