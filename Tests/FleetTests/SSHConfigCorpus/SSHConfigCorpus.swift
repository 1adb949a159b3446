/// What real `~/.ssh/config` files contain, one case per habit, written from ssh_config(5) and the
/// configs people publish (bastions, GitHub on port 443, cloud subnets, conf.d includes).
enum SSHConfigCorpus {
    static let cases: [SSHConfigCase] = basics + proxies + knownHosts + matches + includes + layout + mistakes + unknownKeywords

    static let basics: [SSHConfigCase] = [
        SSHConfigCase(name: "one host, every field", config: """
            Host web1
                HostName 10.0.0.11
                User deploy
                Port 2222
                IdentityFile ~/.ssh/deploy_ed25519
            """, hosts: ["web1", "web2"]),
        SSHConfigCase(name: "specific block then Host * defaults", config: """
            Host db1
                User postgres
            Host *
                User admin
                Port 2200
                IdentityFile ~/.ssh/id_default
            """, hosts: ["db1", "other"]),
        SSHConfigCase(name: "Host * first: its values win", config: """
            Host *
                User everyone
                ServerAliveInterval 60
            Host special
                User special
                Port 2022
            """, hosts: ["special"]),
        SSHConfigCase(name: "several patterns on one Host line", config: """
            Host web1 web2 web3
                User www
            """, hosts: ["web2", "web4"]),
        SSHConfigCase(name: "negated pattern excludes the bastion", config: """
            Host *.prod.example.com !bastion.prod.example.com
                ProxyJump bastion.prod.example.com
                User ops
            """, hosts: ["app.prod.example.com", "bastion.prod.example.com"]),
        SSHConfigCase(name: "question mark wildcard", config: """
            Host node?
                Port 2201
            """, hosts: ["node1", "node12"]),
        SSHConfigCase(name: "equals separators", config: """
            Host eq
                Port=2022
                User = alice
                HostName =eq.example.net
                IdentityFile= /keys/eq
            """, hosts: ["eq"]),
        SSHConfigCase(name: "keywords in any case", config: """
            HOST mixed
                HOSTNAME mixed.example.org
                user Bob
                pOrT 2345
                identityFILE /keys/Mixed
            """, hosts: ["mixed"]),
        SSHConfigCase(name: "quoted identity file with spaces", config: """
            Host q
                IdentityFile "/keys/my key"
                User "deploy"
            """, hosts: ["q"]),
        SSHConfigCase(name: "identity files accumulate, duplicates dropped", config: """
            Host acc
                IdentityFile /keys/one
                IdentityFile /keys/two
            Host *
                IdentityFile /keys/one
                IdentityFile /keys/three
            """, hosts: ["acc", "else"]),
        SSHConfigCase(name: "identity file tokens", config: """
            Host tok
                HostName tok.internal
                User svc
                Port 2200
                IdentityFile ~/.ssh/%h_%r_%p
                IdentityFile %d/keys/%u-%n
                IdentityFile /keys/%l/%%/%L/%i
            """, hosts: ["tok"]),
        SSHConfigCase(name: "relative identity file is relative to the working directory", config: """
            Host rel
                IdentityFile keys/relative_key
            """, hosts: ["rel"]),
        SSHConfigCase(name: "environment variable in identity file", config: """
            Host envk
                IdentityFile ${HOME}/.ssh/env_key
            """, hosts: ["envk"]),
        SSHConfigCase(name: "HostName with %h", config: """
            Host *.lan
                HostName %h.example.com
            Host app
                HostName %h.corp.example
            """, hosts: ["printer.lan", "app"]),
        SSHConfigCase(name: "HostName is lowercased", config: """
            Host upper
                HostName Upper.Example.COM
            """, hosts: ["upper"]),
        SSHConfigCase(name: "Host patterns are case-sensitive", config: """
            Host Web
                User capital
            Host web
                User lower
            """, hosts: ["web", "Web"]),
        SSHConfigCase(name: "port as a service name", config: """
            Host svc
                Port ssh
            """, hosts: ["svc"]),
        SSHConfigCase(name: "IPv4 and IPv6 host names", config: """
            Host v4
                HostName 192.0.2.10
                Port 2022
            Host v6
                HostName 2001:db8::10
            """, hosts: ["v4", "v6"]),
        SSHConfigCase(name: "GitHub over port 443", config: """
            Host github.com
                HostName ssh.github.com
                Port 443
                User git
                IdentityFile ~/.ssh/github_ed25519
                IdentitiesOnly yes
            """, hosts: ["github.com"]),
        SSHConfigCase(name: "same host in several blocks merges", config: """
            Host api
                User api-user
            Host api
                User ignored
                Port 8022
            Host a*
                IdentityFile /keys/a
            """, hosts: ["api"]),
        SSHConfigCase(name: "negation-only Host never matches", config: """
            Host !nothing
                User never
            """, hosts: ["something"]),
        SSHConfigCase(name: "keep-alive and multiplexing settings change nothing Cutover uses", config: """
            Host *
                ServerAliveInterval 30
                ServerAliveCountMax 3
                ControlMaster auto
                ControlPath ~/.ssh/cm-%r@%h:%p
                ControlPersist 10m
                Compression yes
                AddKeysToAgent yes
                User fallback
            """, hosts: ["x1"]),
    ]

    static let proxies: [SSHConfigCase] = [
        SSHConfigCase(name: "ProxyJump one bastion", config: """
            Host internal
                HostName 10.1.2.3
                ProxyJump bastion.example.com
            """, hosts: ["internal"]),
        SSHConfigCase(name: "ProxyJump chain with users and ports", config: """
            Host deep
                ProxyJump ops@jump1.example.com:2222,jump2.example.com
            """, hosts: ["deep"]),
        SSHConfigCase(name: "ProxyJump none stops a later Host *", config: """
            Host bastion
                ProxyJump none
            Host *
                ProxyJump bastion
            """, hosts: ["bastion", "inner"]),
        SSHConfigCase(name: "ProxyCommand ssh -W", config: """
            Host behind
                ProxyCommand ssh -W %h:%p gateway.example.com
            """, hosts: ["behind"]),
        SSHConfigCase(name: "ProxyCommand keeps quotes and a trailing comment", config: """
            Host quoted
                ProxyCommand=ssh -q -W "%h:%p" 'gw'   # via gw
            """, hosts: ["quoted"]),
        SSHConfigCase(name: "ProxyCommand with nc", config: """
            Host legacy-*
                ProxyCommand nc -X 5 -x proxy.example.com:1080 %h %p
                User legacy
            """, hosts: ["legacy-1"]),
        SSHConfigCase(name: "ProxyCommand none blocks a later ProxyJump", config: """
            Host direct
                ProxyCommand none
            Host *
                ProxyJump bastion
            """, hosts: ["direct", "other"]),
        SSHConfigCase(name: "ProxyJump first: a later ProxyCommand is ignored", config: """
            Host both
                ProxyJump hop1
            Host *
                ProxyCommand nc %h %p
            """, hosts: ["both", "solo"]),
        SSHConfigCase(name: "ProxyCommand first: a later ProxyJump is ignored", config: """
            Host both2
                ProxyCommand nc %h %p
            Host *
                ProxyJump hop1
            """, hosts: ["both2"]),
        SSHConfigCase(name: "cloud subnet behind a bastion", config: """
            Host bastion
                HostName 203.0.113.5
                User ec2-user
                IdentityFile ~/.ssh/aws.pem
            Host 10.0.*
                ProxyJump bastion
                User ubuntu
                IdentityFile ~/.ssh/aws.pem
            """, hosts: ["10.0.3.7", "bastion"]),
    ]

    static let knownHosts: [SSHConfigCase] = [
        SSHConfigCase(name: "several known_hosts files with tokens", config: """
            Host kh
                HostName kh.example.com
                UserKnownHostsFile ~/.ssh/known_hosts.d/%h %d/.ssh/shared_known_hosts /etc/ssh/team_%r
            """, hosts: ["kh"]),
        SSHConfigCase(name: "UserKnownHostsFile none", config: """
            Host nokh
                UserKnownHostsFile none
            """, hosts: ["nokh"]),
        SSHConfigCase(name: "the insecure pair is refused with a warning", config: """
            Host lab-*
                StrictHostKeyChecking no
                UserKnownHostsFile /dev/null
            """, hosts: ["lab-1"]),
        SSHConfigCase(name: "accept-new", config: """
            Host new
                StrictHostKeyChecking accept-new
            Host *
                StrictHostKeyChecking yes
            """, hosts: ["new", "old"]),
        SSHConfigCase(name: "StrictHostKeyChecking ask and off", config: """
            Host ask
                StrictHostKeyChecking ask
            Host off
                StrictHostKeyChecking off
            """, hosts: ["ask", "off"]),
    ]

    static let matches: [SSHConfigCase] = [
        SSHConfigCase(name: "Match host sees HostName", config: """
            Host short
                HostName long.example.com
            Match host long.example.com
                User by-hostname
            """, hosts: ["short"]),
        SSHConfigCase(name: "Match originalhost sees the name given", config: """
            Host short
                HostName long.example.com
            Match originalhost short
                Port 2022
            Match originalhost long.example.com
                Port 3033
            """, hosts: ["short"]),
        SSHConfigCase(name: "Match user sees User so far", config: """
            Host u1
                User alice
            Match user alice
                IdentityFile /keys/alice
            Match user root
                IdentityFile /keys/root
            """, hosts: ["u1", "u2"]),
        SSHConfigCase(name: "Match localuser", config: """
            Match localuser root
                User from-root
            Match !localuser root
                User from-other
            """, hosts: ["lu"]),
        SSHConfigCase(name: "Match exec true and false", config: """
            Match exec "exit 1"
                Port 1111
            Match exec true
                Port 2222
            """, hosts: ["ex"]),
        SSHConfigCase(name: "Match exec with tokens", config: """
            Host tokexec
                HostName real.example
            Match exec "test %h = real.example && test %n = tokexec"
                User exec-matched
            """, hosts: ["tokexec", "plain"]),
        SSHConfigCase(name: "Match exec after a failed criterion does not decide", config: """
            Match host nomatch exec true
                User wrong
            Match !exec false
                User right
            """, hosts: ["m"]),
        SSHConfigCase(name: "Match negated host", config: """
            Match !host *.internal
                ProxyJump gw.example.com
            """, hosts: ["a.internal", "b.public"]),
        SSHConfigCase(name: "Match host pattern list with negation", config: """
            Match host *.corp,!db.corp
                User corp
            """, hosts: ["web.corp", "db.corp", "x.org"]),
        SSHConfigCase(name: "Match host is case-insensitive", config: """
            Match host WEB*
                User upper-pattern
            """, hosts: ["web1"]),
        SSHConfigCase(name: "Match all", config: """
            Host first
                User first
            Match all
                User all
                Port 2020
            """, hosts: ["first", "second"]),
        SSHConfigCase(name: "Match final: Host blocks see HostName in the second pass", config: """
            Host alias
                HostName target.example.com
            Host target.example.com
                User seen-in-final
            Match final
                Port 2525
            """, hosts: ["alias", "target.example.com"]),
        SSHConfigCase(name: "Match canonical without canonicalisation and no final pass", config: """
            Match canonical
                User canonical
            """, hosts: ["c1"]),
        SSHConfigCase(name: "Match canonical holds in a final pass", config: """
            Match canonical
                User canonical
            Match final host f1
                Port 2626
            """, hosts: ["f1"]),
        SSHConfigCase(name: "Match user and host combined", config: """
            Host combo
                User deploy
            Match user deploy host combo
                IdentityFile /keys/deploy-combo
            """, hosts: ["combo"]),
        SSHConfigCase(name: "Match ends the Host block", config: """
            Host h1
                User h1-user
            Match host nope
                Port 1
            User after-match
            """, hosts: ["h1"]),
    ]

    static let includes: [SSHConfigCase] = [
        SSHConfigCase(name: "Include an absolute file", config: """
            Include $DIR/common
            Host *
                User last
            """, hosts: ["inc"], files: ["common": "Host inc\n  User from-include\n  Port 2424\n"]),
        SSHConfigCase(name: "Include under a non-matching Host applies nothing", config: """
            Host other
                Include $DIR/other.conf
            Host *
                Port 2000
            """, hosts: ["mine"], files: ["other.conf": "Port 9999\nUser leaked\n"]),
        SSHConfigCase(name: "Include under a matching Host applies", config: """
            Host mine
                Include $DIR/mine.conf
            """, hosts: ["mine", "yours"], files: ["mine.conf": "Port 2323\n"]),
        SSHConfigCase(name: "Include glob in a directory component", config: """
            Include $DIR/*/config
            """, hosts: ["a", "b"], files: ["one/config": "Host a\n  User from-one\n", "two/config": "Host b\n  User from-two\n", "three/other": "User never\n"]),
        SSHConfigCase(name: "Include glob of files in order", config: """
            Include $DIR/conf.d/*.conf
            """, hosts: ["g"], files: ["conf.d/20-b.conf": "User from-20\n", "conf.d/10-a.conf": "User from-10\n", "conf.d/.hidden.conf": "User hidden\n"]),
        SSHConfigCase(name: "relative Include is under ~/.ssh", config: """
            Include $SSHSUB/relative.conf
            """, hosts: ["r"], files: ["~/.ssh/$SSHSUB/relative.conf": "Host r\n  Port 2929\n"]),
        SSHConfigCase(name: "a Host inside an included file does not leak out", config: """
            Host mine
                Include $DIR/ends-with-other
                Port 3030
            """, hosts: ["mine"], files: ["ends-with-other": "Host elsewhere\n  User elsewhere\n"]),
        SSHConfigCase(name: "a missing include is nothing", config: """
            Include $DIR/does-not-exist
            Host *
                User present
            """, hosts: ["m"]),
        SSHConfigCase(name: "Include with several paths", config: """
            Include $DIR/first $DIR/second
            """, hosts: ["s"], files: ["first": "Port 4001\n", "second": "Port 4002\nUser second\n"]),
        SSHConfigCase(name: "Match inside an included file", config: """
            Include $DIR/match.conf
            """, hosts: ["mi", "mx"], files: ["match.conf": "Match host mi\n  User matched-in-include\n"]),
        SSHConfigCase(name: "nested includes", config: """
            Include $DIR/level1
            """, hosts: ["n"], files: ["level1": "Include $DIR/level2\nUser level1\n", "level2": "Port 2727\n"]),
    ]

    static let layout: [SSHConfigCase] = [
        SSHConfigCase(name: "CRLF line ends", config: "Host crlf\r\n    HostName crlf.example.com\r\n    User windows\r\n    Port 2200\r\n", hosts: ["crlf"]),
        SSHConfigCase(name: "tabs, comments, blank lines, trailing blanks", config: "# my config\n\n\tHost tabs   \n\t\tUser\ttabbed  \n\n# done\n\tPort 2201\t\n", hosts: ["tabs"]),
        SSHConfigCase(name: "comment after a value", config: """
            Host cmt
                Port 2202 # the usual port
                User cmt # the user
            """, hosts: ["cmt"]),
        SSHConfigCase(name: "global settings before the first Host", config: """
            User global
            IdentityFile ~/.ssh/global
            Host g1
                User g1-user
            """, hosts: ["g1"]),
        SSHConfigCase(name: "indentation means nothing", config: """
            Host i1
            User i1-user
              Host i2
            Port 2203
            """, hosts: ["i1", "i2"]),
        SSHConfigCase(name: "single-quoted values", config: """
            Host sq
                User 'single'
                IdentityFile '/keys/single quoted'
            """, hosts: ["sq"]),
        SSHConfigCase(name: "a work laptop config", config: """
            Host *
                AddKeysToAgent yes
                IdentityFile ~/.ssh/id_ed25519
            Host gitlab.company.com
                User git
                IdentityFile ~/.ssh/gitlab
            Host jump
                HostName jump.company.com
                User jdoe
            Host *.company.internal
                ProxyJump jump
                User jdoe
            """, hosts: ["gitlab.company.com", "ci.company.internal", "jump"]),
        SSHConfigCase(name: "home lab", config: """
            Host pi
                HostName 192.168.1.50
                User pi
            Host nas
                HostName 192.168.1.60
                Port 2222
                User admin
            Host *
                User me
                UserKnownHostsFile ~/.ssh/known_hosts_home
            """, hosts: ["pi", "nas", "laptop"]),
    ]

    /// Lines OpenSSH refuses outright: Cutover must refuse them too.
    static let mistakes: [SSHConfigCase] = [
        SSHConfigCase(name: "bad port", config: "Host p\n  Port abc\n", hosts: ["p"]),
        SSHConfigCase(name: "two identity files on one line", config: "Host p\n  IdentityFile /a /b\n", hosts: ["p"]),
        SSHConfigCase(name: "unknown Match criterion", config: "Match bogus x\n  User u\n", hosts: ["p"]),
        SSHConfigCase(name: "Match all combined", config: "Match all host x\n  User u\n", hosts: ["p"]),
        SSHConfigCase(name: "Match without criteria", config: "Match\n  User u\n", hosts: ["p"]),
        SSHConfigCase(name: "ProxyJump with a token", config: "Host p\n  ProxyJump j%h:%p\n", hosts: ["p"]),
        SSHConfigCase(name: "bad StrictHostKeyChecking", config: "Host p\n  StrictHostKeyChecking maybe\n", hosts: ["p"]),
        SSHConfigCase(name: "unterminated quote", config: "Host p\n  User \"open\n", hosts: ["p"]),
    ]

    /// Keywords OpenSSH does not know (typos, other programs' keywords, newer OpenSSH's), with and
    /// without `IgnoreUnknown`, and the old keywords ssh still accepts. A host whose acceptance
    /// depends on which `IgnoreUnknown` applies to it gets a case of its own (the inventory
    /// loads all of a case's hosts at once).
    static let unknownKeywords: [SSHConfigCase] = [
        SSHConfigCase(name: "typo Usr", config: "Host a\n  Usr nobody\n", hosts: ["a"]),
        SSHConfigCase(name: "typo Hostnme in a block that does not match", config: """
            Host other
              Hostnme other.example.com
            Host *
              User u
            """, hosts: ["a"]),
        SSHConfigCase(name: "unknown keyword under a Match that does not match", config: "Match host nothing\n  Prot 2222\n", hosts: ["a"]),
        SSHConfigCase(name: "other programs' and newer OpenSSH's keywords", config: """
            Host *
              UseKeychain yes
              PermitRootLogin no
              ChannelTimeout session=5m
            """, hosts: ["a"]),
        SSHConfigCase(name: "IgnoreUnknown before the keyword", config: """
            IgnoreUnknown UseKeychain,AddKeysToKeychain
            Host *
              UseKeychain yes
              AddKeysToKeychain yes
              User real
            """, hosts: ["a", "b"]),
        SSHConfigCase(name: "IgnoreUnknown after the keyword", config: """
            Host *
              UseKeychain yes
            IgnoreUnknown UseKeychain
            """, hosts: ["a"]),
        SSHConfigCase(name: "IgnoreUnknown pattern, any case", config: "IgnoreUnknown USE*\nUseKeychain yes\nUser u\n", hosts: ["a"]),
        SSHConfigCase(name: "IgnoreUnknown negated pattern", config: "IgnoreUnknown *,!usr\nUsr x\nFoo y\n", hosts: ["a"]),
        SSHConfigCase(name: "IgnoreUnknown: the first one wins", config: "IgnoreUnknown foo\nIgnoreUnknown usr\nUsr x\n", hosts: ["a"]),
        SSHConfigCase(name: "IgnoreUnknown: the first one that applies wins", config: """
            Host b
              IgnoreUnknown foo
            Host *
              IgnoreUnknown usekeychain
              UseKeychain yes
              Port 2201
            """, hosts: ["a"]),
        SSHConfigCase(name: "IgnoreUnknown under the host's own block", config: """
            Host a
              IgnoreUnknown UseKeychain
            Host *
              UseKeychain yes
              Port 2200
            """, hosts: ["a"]),
        SSHConfigCase(name: "IgnoreUnknown under another host's block", config: """
            Host a
              IgnoreUnknown UseKeychain
            Host *
              UseKeychain yes
              Port 2200
            """, hosts: ["b"]),
        SSHConfigCase(name: "IgnoreUnknown under Match final is not yet in force", config: """
            Match final
              IgnoreUnknown usr
            Host *
              Usr x
            """, hosts: ["a"]),
        SSHConfigCase(name: "IgnoreUnknown with two values", config: "IgnoreUnknown a b\n", hosts: ["a"]),
        SSHConfigCase(name: "an ignored unknown keyword still needs a value", config: "IgnoreUnknown usr\nHost *\n  Usr\n", hosts: ["a"]),
        SSHConfigCase(name: "a known keyword without a value", config: "Host *\n  Compression\n", hosts: ["a"]),
        SSHConfigCase(name: "deprecated and unsupported keywords ssh accepts", config: """
            Protocol 2
            Cipher blowfish
            UseRoaming no
            UsePrivilegedPort yes
            FallBackToRsh no
            UseRsh no
            RhostsAuthentication no
            GlobalKnownHostsFile2 /etc/ssh/ssh_known_hosts2
            UserKnownHostsFile2 ~/.ssh/known_hosts2
            RSAAuthentication yes
            RhostsRSAAuthentication no
            AFSTokenPassing no
            KerberosAuthentication no
            KerberosTGTPassing no
            CompressionLevel 6
            KeepAlive yes
            DSAAuthentication yes
            SkeyAuthentication no
            TISAuthentication no
            SmartcardDevice /usr/lib/opensc.so
            HostbasedKeyTypes ssh-ed25519
            PubkeyAcceptedKeyTypes ssh-ed25519
            IdentityFile2 /keys/second
            Host *
              User old
            """, hosts: ["a"]),
        SSHConfigCase(name: "an included file with an unknown keyword", config: """
            Include $DIR/bad.conf
            User u
            """, hosts: ["a"], files: ["bad.conf": "Host a\n  Usr nobody\n"]),
        SSHConfigCase(name: "an included file with an unknown keyword under a block that does not match", config: """
            Host other
              Include $DIR/bad.conf
            """, hosts: ["a"], files: ["bad.conf": "Hostnme x\n"]),
        SSHConfigCase(name: "IgnoreUnknown in an included file covers what follows the Include", config: """
            Include $DIR/ignore.conf
            UseKeychain yes
            User after
            """, hosts: ["a"], files: ["ignore.conf": "IgnoreUnknown UseKeychain\n"]),
    ]
}
