import Testing

/// One inventory (with its `group_vars/`/`host_vars/` files) that real `ansible-inventory --list`
/// and `cutover inventory --list --output json` must read the same way, or where Cutover
/// deliberately differs, a diagnostic it must print.
struct InventoryCase: Sendable, CustomTestStringConvertible {
    enum Expectation: Sendable {
        /// Same hosts, groups, connection fields and variable values.
        case agrees
        /// Cutover prints this diagnostic (`file:line:col: severity: message`, the path relative
        /// to the case's directory) instead of agreeing silently.
        case differs(String)
    }

    var name: String
    /// The inventory file, relative to the case's directory.
    var inventory: String
    /// Every file of the case by relative path.
    var files: [String: String]
    var expectation: Expectation = .agrees

    var testDescription: String { name }

    init(_ name: String, _ inventory: String, _ files: [String: String], _ expectation: Expectation = .agrees) {
        self.name = name
        self.inventory = inventory
        self.files = files
        self.expectation = expectation
    }

    /// An INI inventory named `hosts`.
    static func ini(_ name: String, _ text: String, _ more: [String: String] = [:], _ expectation: Expectation = .agrees) -> InventoryCase {
        InventoryCase(name, "hosts", more.merging(["hosts": text]) { $1 }, expectation)
    }

    /// A YAML inventory named `inventory.yml`.
    static func yaml(_ name: String, _ text: String, _ more: [String: String] = [:], _ expectation: Expectation = .agrees) -> InventoryCase {
        InventoryCase(name, "inventory.yml", more.merging(["inventory.yml": text]) { $1 }, expectation)
    }
}

/// Small inventories of the kinds real repositories hold, written from Ansible's inventory
/// documentation and its example inventories.
enum AnsibleCorpus {
    static let cases: [InventoryCase] = ini + yaml + varsDirectories + precedence + lineEndings + deliberate

    static let ini: [InventoryCase] = [
        .ini("ini-ungrouped", "mail.example.com\nfoo.example.com ansible_host=10.0.0.9\n"),
        .ini("ini-docs-example", """
            mail.example.com

            [webservers]
            foo.example.com
            bar.example.com

            [dbservers]
            one.example.com
            two.example.com
            three.example.com
            """),
        .ini("ini-numeric-range", "[web]\nwww[01:05].example.com\n"),
        .ini("ini-stride-range", "[web]\nwww[01:10:3].example.com ansible_user=deploy\n"),
        .ini("ini-alpha-range", "[db]\ndb-[a:f].example.com\n"),
        .ini("ini-two-ranges", "[rack]\nr[1:2]-n[a:c]\n"),
        .ini("ini-range-without-padding", "[web]\nweb[8:11]\n"),
        .ini("ini-host-port", "[web]\nweb1:2222\nweb2 ansible_port=2200\n"),
        .ini("ini-range-with-port", "[web]\nweb[1:3]:2222 ansible_user=ops\n"),
        .ini("ini-ipv4-port", "[edge]\n192.0.2.10:2022\n192.0.2.11\n"),
        .ini("ini-ipv6", "[v6]\nfe80::1\n2001:db8::10 ansible_user=root\n"),
        .ini("ini-ipv6-bracket-port", "[v6]\n[2001:db8::1]:2222\n"),
        .ini("ini-inline-vars", "[web]\nweb1 ansible_host=10.0.0.1 ansible_user=deploy ansible_ssh_private_key_file=/keys/web http_port=80 maxRequestsPerChild=808\n"),
        .ini("ini-quoted-inline", "[web]\nweb1 motd=\"hello world\" path='/srv/a b' quoted_number=\"42\"\n"),
        .ini("ini-python-literals", """
            [app]
            app1 flag=True other=false count=3 ratio=1.5 hex=0x1F items="[1, 'a']" opts="{'k': 'v'}" nothing=None
            """),
        .ini("ini-leading-zero", "[app]\napp1 code=007 zero=0 mode=0755 neg=-3\n"),
        .ini("ini-vars-section-spaces", """
            [web]
            web1

            [web:vars]
            greeting = hello world
            ntp_server=ntp.atlanta.example.com
            proxy = proxy.atlanta.example.com
            quoted = "a b c"
            single='x y'
            number = 8080
            flag = True
            text_true = true
            with_comment = value # not a comment here
            literal_comment = 'kept' # dropped by Python
            empty =
            """),
        .ini("ini-all-vars", "web1\nweb2\n\n[all:vars]\nansible_user=admin\nansible_port=2200\ntimezone=UTC\n"),
        .ini("ini-children", """
            [atlanta]
            host1
            host2

            [raleigh]
            host2
            host3

            [southeast:children]
            atlanta
            raleigh

            [southeast:vars]
            some_server=foo.southeast.example.com
            halon_system_timeout=30
            self_destruct_countdown=60
            escape_pods=2

            [usa:children]
            southeast
            northeast
            southwest
            northwest

            [northeast]
            [southwest]
            [northwest]
            """),
        .ini("ini-children-declared-later", "[parent:children]\nchild\n\n[child]\nc1\n[parent:vars]\nx=1\n"),
        .ini("ini-section-comment", "[web] # the web tier\nweb1\n[db]   ; only '#' may follow a header\ndb1\n", [:], .differs("hosts:3:1: error: host range must be begin:end or begin:end:step")),
        .ini("ini-first-header-comment", "[web]  # front ends\nweb1\nweb2\n"),
        .ini("ini-comments-everywhere", "# top\n; semicolon comment\n[web]\n# inside\nweb1 # trailing\nweb2 a=1 # b=2\n"),
        .ini("ini-host-in-two-groups", "[web]\nweb1 a=1\n[canary]\nweb1 a=2 b=3\n"),
        .ini("ini-host-in-all-section", "[all]\nsolo\n[web]\nweb1\n"),
        .ini("ini-group-priority", """
            [a_group]
            h1
            [b_group]
            h1
            [a_group:vars]
            who=a
            ansible_group_priority=10
            [b_group:vars]
            who=b
            """),
        .ini("ini-sibling-order-by-name", "[zeta]\nh1\n[alpha]\nh1\n[zeta:vars]\nwho=zeta\n[alpha:vars]\nwho=alpha\n"),
        .ini("ini-child-beats-parent-written-later", """
            [child]
            h1
            [child:vars]
            level=child
            ansible_user=child_user
            [parent:children]
            child
            [parent:vars]
            level=parent
            ansible_user=parent_user
            """),
        .ini("ini-deep-nesting", """
            [leaf]
            h1
            [mid:children]
            leaf
            [top:children]
            mid
            [top:vars]
            v=top
            w=top
            [mid:vars]
            v=mid
            [all:vars]
            v=all
            u=all
            """),
        .ini("ini-host-beats-groups", "[web]\nweb1 ansible_user=own\nweb2\n[web:vars]\nansible_user=group\n[all:vars]\nansible_user=all\n"),
        .ini("ini-legacy-ssh-names", "[old]\nold1 ansible_ssh_host=10.1.1.1 ansible_ssh_port=2201 ansible_ssh_user=legacy\n"),
        .ini("ini-tabs-and-spaces", "[web]\n\tweb1\t ansible_host=10.0.0.5\n   web2    ansible_port=2022   \n"),
        .ini("ini-backslash-escape", "[web]\nweb1 note=a\\ b path=\"C:\\\\tmp\"\n"),
        .ini("ini-dotted-names", "[web.prod]\nweb-1.prod.example.com\n[web.prod:vars]\nenv=prod\n"),
        .ini("ini-empty-groups", "[empty]\n[web]\nweb1\n[also_empty:children]\n"),
        .ini("ini-localhost", "[local]\nlocalhost ansible_host=127.0.0.1\n"),
    ]

    static let yaml: [InventoryCase] = [
        .yaml("yaml-docs-example", """
            all:
              hosts:
                mail.example.com:
              children:
                webservers:
                  hosts:
                    foo.example.com:
                    bar.example.com:
                dbservers:
                  hosts:
                    one.example.com:
                    two.example.com:
                    three.example.com:
            """),
        .yaml("yaml-range", """
            all:
              children:
                webservers:
                  hosts:
                    www[01:50:10].example.com:
                    db-[a:c]:
            """),
        .yaml("yaml-host-port", """
            web:
              hosts:
                web1:2222:
                web[2:3]:2200:
                  ansible_user: ops
            """),
        .yaml("yaml-top-level-groups", "web:\n  hosts:\n    web1:\ndb:\n  hosts:\n    db1:\n  vars:\n    port: 5432\n"),
        .yaml("yaml-vars-types", """
            all:
              hosts:
                h1:
                  s: hello
                  i: 42
                  f: 1.5
                  b: true
                  y: yes
                  o: off
                  n: ~
                  empty:
                  oct: 0755
                  hex: 0x1f
                  q: "42"
                  l: [1, two, 3.0]
                  m: {a: 1, b: [x]}
                  e: 1e3
                  d: 2024-01-01
                  under: 1_000
            """),
        .yaml("yaml-merge-key", """
            all:
              vars:
                common: &defaults
                  ansible_user: deploy
                  ansible_port: 2200
              hosts:
                web1:
                  <<: *defaults
                  ansible_host: 10.0.0.1
                web2:
                  <<: *defaults
                  ansible_port: 22
            """),
        .yaml("yaml-merge-list", """
            x-base: &base
              {}
            all:
              hosts:
                h1:
                  <<: [{a: 1, b: 1}, {a: 2, c: 2}]
                  d: 4
            """),
        .yaml("yaml-anchor-alias", """
            all:
              children:
                web:
                  vars: &webvars
                    http_port: 80
                    ansible_user: www
                  hosts:
                    web1:
                canary:
                  vars: *webvars
                  hosts:
                    web2:
            """),
        .yaml("yaml-children-precedence", """
            all:
              vars:
                level: all
              children:
                parent:
                  vars:
                    level: parent
                    only_parent: p
                  children:
                    child:
                      vars:
                        level: child
                      hosts:
                        h1:
            """),
        .yaml("yaml-group-priority", """
            all:
              children:
                aaa:
                  vars: {who: aaa, ansible_group_priority: 5}
                  hosts: {h1: }
                zzz:
                  vars: {who: zzz}
                  hosts: {h1: }
            """),
        .yaml("yaml-same-group-twice", """
            all:
              children:
                web:
                  hosts:
                    web1: {a: 1}
                prod:
                  children:
                    web:
                      hosts:
                        web2:
                      vars:
                        tier: front
            """),
        .yaml("yaml-string-hosts", "all:\n  children:\n    web:\n      hosts: web1\n"),
        .yaml("yaml-ipv6", "all:\n  hosts:\n    \"2001:db8::5\":\n      ansible_user: v6\n"),
        .yaml("yaml-null-group", "all:\n  children:\n    empty:\n    web:\n      hosts:\n        web1:\n"),
        .yaml("yaml-json-inventory", """
            {"all": {"hosts": {"j1": {"ansible_host": "10.9.9.9", "ansible_port": 2222}}, "children": {"g": {"hosts": {"j2": null}}}}}
            """),
        .yaml("yaml-connection-fields", """
            prod:
              hosts:
                app1:
                  ansible_host: 203.0.113.7
                  ansible_port: 2222
                  ansible_user: app
                  ansible_ssh_private_key_file: /etc/keys/app
              vars:
                ansible_user: fallback
            """),
        .yaml("yaml-quoted-keys", "all:\n  hosts:\n    'web1':\n      \"x\": '1'\n"),
        .yaml("yaml-document-marker", "---\nall:\n  hosts:\n    h1:\n...\n"),
    ]

    static let varsDirectories: [InventoryCase] = [
        .ini("gv-file-yml", "[web]\nweb1\n", ["group_vars/web.yml": "http_port: 8080\nansible_user: www\n"]),
        .ini("gv-file-yaml-and-noext", "[web]\nweb1\n[db]\ndb1\n", ["group_vars/web.yaml": "a: 1\n", "group_vars/db": "b: 2\n"]),
        .ini("gv-all", "web1\n[db]\ndb1\n", ["group_vars/all.yml": "ntp: time.example.com\nansible_port: 2201\n"]),
        .ini("gv-directory", "[web]\nweb1\n", [
            "group_vars/web/10-base.yml": "a: base\nb: base\n",
            "group_vars/web/20-override.yaml": "b: override\n",
            "group_vars/web/vars": "c: noext\n",
            "group_vars/web/.hidden.yml": "a: hidden\n",
            "group_vars/web/notes.txt": "a: txt\n",
            "group_vars/web/sub/30.yml": "d: nested\n",
        ]),
        .ini("gv-json", "[web]\nweb1\n", ["group_vars/web.json": "{\"j\": 1, \"k\": [true, null]}\n"]),
        .ini("gv-first-extension-wins", "[web]\nweb1\n", ["group_vars/web.yml": "x: yml\n", "group_vars/web.yaml": "x: yaml\n"]),
        .ini("gv-beats-inventory-group-vars", "[web]\nweb1\n[web:vars]\nsrc=inventory\nonly_inv=1\n", ["group_vars/web.yml": "src: group_vars\n"]),
        .ini("gv-all-beats-inventory-child-vars", "[web]\nweb1\n[web:vars]\nsrc=inventory_web\n", ["group_vars/all.yml": "src: group_vars_all\n"]),
        .ini("gv-child-file-beats-parent-file", "[child]\nh1\n[parent:children]\nchild\n", [
            "group_vars/parent.yml": "level: parent\np: 1\n", "group_vars/child.yml": "level: child\n",
        ]),
        .ini("hv-file", "[web]\nweb1 a=inventory\n", ["host_vars/web1.yml": "a: host_vars\nansible_host: 10.2.2.2\n"]),
        .ini("hv-directory", "web1\n", ["host_vars/web1/main.yml": "x: 1\n", "host_vars/web1/secret.yml": "y: 2\n"]),
        .ini("hv-beats-gv", "[web]\nweb1\n", ["host_vars/web1": "who: host\n", "group_vars/web": "who: group\nansible_user: g\n"]),
        .ini("gv-ungrouped", "loner\n[web]\nweb1\n", ["group_vars/ungrouped.yml": "alone: true\n"]),
        .ini("gv-empty-file", "[web]\nweb1\n", ["group_vars/web.yml": "", "group_vars/all.yml": "---\n"]),
        .ini("gv-merge-key", "[web]\nweb1\n", ["group_vars/web.yml": "base: &b\n  u: deploy\nderived:\n  <<: *b\n  extra: 1\n"]),
        .yaml("gv-with-yaml-inventory", "all:\n  children:\n    web:\n      hosts:\n        web1:\n", ["group_vars/web/main.yml": "app: shop\n"]),
        .ini("gv-priority-var-in-file-is-plain", "[a]\nh1\n[b]\nh1\n", [
            "group_vars/a.yml": "who: a\nansible_group_priority: 10\n", "group_vars/b.yml": "who: b\n",
        ]),
    ]

    static let precedence: [InventoryCase] = [
        .ini("prec-three-levels-with-priority", """
            [leaf]
            h1
            h2 who=host
            [mid:children]
            leaf
            [other]
            h1
            [other:vars]
            who=other
            ansible_group_priority=3
            [leaf:vars]
            who=leaf
            [mid:vars]
            who=mid
            """),
        .ini("prec-depth-beats-priority", "[p:children]\nc\n[c]\nh1\n[p:vars]\nx=p\nansible_group_priority=100\n[c:vars]\nx=c\n"),
        .ini("prec-diamond", """
            [left:children]
            bottom
            [right:children]
            bottom
            [top:children]
            left
            right
            [bottom]
            h1
            [left:vars]
            side=left
            [right:vars]
            side=right
            [top:vars]
            side=top
            """),
        .yaml("prec-yaml-parent-after-child", """
            child:
              hosts:
                h1:
              vars:
                ansible_user: child
            parent:
              children:
                child:
              vars:
                ansible_user: parent
                ansible_port: 2222
            """),
        .ini("prec-dict-replaced-not-merged", "[web]\nweb1\n[web:vars]\nd={'a': 1, 'b': 2}\n[all:vars]\nd={'c': 3}\n"),
    ]

    static let lineEndings: [InventoryCase] = [
        .ini("crlf-ini", "[web]\r\nweb1 ansible_host=10.0.0.1\r\nweb2\r\n\r\n[web:vars]\r\nansible_user=deploy\r\ngreeting = hi there\r\n"),
        .yaml("crlf-yaml", "all:\r\n  children:\r\n    web:\r\n      hosts:\r\n        web1:\r\n          ansible_port: 2222\r\n"),
        .ini("crlf-group-vars", "[web]\r\nweb1\r\n", ["group_vars/web.yml": "a: 1\r\nb: two\r\n"]),
        .ini("crlf-first-header-comment", "[web] # tier\r\nweb1\r\n"),
    ]

    /// Where Cutover deliberately reads differently: it must say so, naming the line.
    static let deliberate: [InventoryCase] = [
        .ini("diff-relative-key", "[web]\nweb1 ansible_ssh_private_key_file=keys/web\n", [:],
             .differs("hosts:2:6: warning: relative key path 'keys/web' is resolved against the inventory's directory")),
        .ini("diff-bad-port", "[web]\nweb1 ansible_port=http\n", [:],
             .differs("hosts:2:6: error: invalid port 'http' for 'ansible_port'")),
        .ini("diff-odd-host-name", "[web]\nweb!1\n", [:], .differs("hosts:2:1: error: invalid host name 'web!1'")),
        // ssh_config's ProxyCommand and Match exec would hand these to a shell (CVE-2023-51385).
        .ini("diff-shell-in-ansible-host", "[web]\nweb1 ansible_host='10.0.0.1;id'\n", [:],
             .differs("hosts:2:6: error: host 'web1': ansible_host '10.0.0.1;id' contains ';'")),
        .yaml("diff-space-in-ansible-user", "all:\n  hosts:\n    h1:\n      ansible_user: 'a b'\n", [:],
              .differs("inventory.yml:4:21: error: host 'h1': ansible_user 'a b' contains a space")),
        .yaml("diff-unknown-group-key", "all:\n  hots:\n    h1:\n", [:], .differs("inventory.yml:2:3: error: unknown key 'hots' in group 'all'")),
    ]
}
