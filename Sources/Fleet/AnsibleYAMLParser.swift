import Diagnostics
import Yams

/// Reads an Ansible YAML inventory.
struct AnsibleYAMLParser {
    var reader: YAMLReader
    var paths: PathResolution

    func parse(root: Node, path: String) -> InventoryDraft {
        NativeInventoryParser(reader: reader, paths: paths).parse(root: root, path: path)
    }
}
