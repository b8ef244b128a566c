//! Known answers, round trips and hostile input for `ftp_reply::payload`.

use std::fmt::Debug;

use ftp_reply::payload::{PayloadError, PayloadKind, Reason};

/// Asserts that `result` failed for `payload`, `reason`, on `line` at `offset`.
#[track_caller]
fn assert_fails<T: Debug>(
    result: Result<T, PayloadError>,
    payload: PayloadKind,
    reason: Reason,
    line: usize,
    offset: usize,
) {
    let err = result.expect_err("should have failed");
    assert_eq!(
        (err.payload, err.reason, err.line, err.offset),
        (payload, reason, line, offset),
        "{err}"
    );
    assert_eq!(err.kind(), payload.name());
}

/// 227 PASV, 228 LPSV, 229 EPSV and the passive-address policy.
mod passive {
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4};

    use ftp_reply::payload::{PassivePolicy, parse_epsv, parse_lpsv, parse_pasv, passive_target};
    use proptest::prelude::*;

    use super::*;

    #[track_caller]
    fn v4(s: &str) -> SocketAddrV4 {
        s.parse().unwrap()
    }

    #[track_caller]
    fn sock(s: &str) -> SocketAddr {
        s.parse().unwrap()
    }

    #[test]
    fn pasv_known_answers() {
        let cases: &[(&[u8], &str)] = &[
            (b"Entering Passive Mode (127,0,0,1,4,1).", "127.0.0.1:1025"),
            (b"Entering Passive Mode (127,0,0,1,4,1)", "127.0.0.1:1025"),
            (b"Entering passive mode. 127,0,0,1,4,1", "127.0.0.1:1025"),
            (b"=127,0,0,1,4,1", "127.0.0.1:1025"),
            (b"PASV OK 127,0,0,1,4,1", "127.0.0.1:1025"),
            (b"127,0,0,1,4,1", "127.0.0.1:1025"),
            (
                b"Entering Passive Mode (192,168,1,100,195,149).",
                "192.168.1.100:50069",
            ),
            (
                b"Data transfer will passively listen to 127,0,0,1,4,51",
                "127.0.0.1:1075",
            ),
            (b"(010,000,000,001,004,001)", "10.0.0.1:1025"),
            (b"(255,255,255,255,255,255)", "255.255.255.255:65535"),
            (b"(0,0,0,0,0,1)", "0.0.0.0:1"),
            (b"(127,0,0,1,4,1). Have fun", "127.0.0.1:1025"),
            (
                b"Entering Passive Mode (127,0,0,1,4,1) \xff\xfe",
                "127.0.0.1:1025",
            ),
        ];
        for &(text, want) in cases {
            assert_eq!(parse_pasv(text), Ok(v4(want)), "{}", text.escape_ascii());
        }
    }

    #[test]
    fn pasv_rejects() {
        let k = PayloadKind::Pasv;
        let byte_range = Reason::OutOfRange {
            what: "number",
            min: 0,
            max: 255,
        };
        assert_fails(parse_pasv(b"(256,0,0,1,4,1)"), k, byte_range, 0, 1);
        assert_fails(parse_pasv(b"(127,0,0,1,4,256)"), k, byte_range, 0, 13);
        assert_fails(
            parse_pasv(b"Entering Passiv Mode (1216,256,2,127,127,127)"),
            k,
            Reason::TooManyDigits { max: 3 },
            0,
            22,
        );
        assert_fails(
            parse_pasv(b"(127,0,0,1,4,0001)"),
            k,
            Reason::TooManyDigits { max: 3 },
            0,
            13,
        );
        assert_fails(
            parse_pasv(b"(127,0,0,1,4)"),
            k,
            Reason::TooFewNumbers {
                expected: 6,
                found: 5,
            },
            0,
            12,
        );
        assert_fails(
            parse_pasv(b"(127,0,0,1,4,1,2)"),
            k,
            Reason::TooManyNumbers { expected: 6 },
            0,
            14,
        );
        assert_fails(parse_pasv(b"(10,0,0,1,-1,-2)"), k, Reason::Sign, 0, 10);
        assert_fails(parse_pasv(b"(-10,0,0,1,4,1)"), k, Reason::Sign, 0, 1);
        assert_fails(parse_pasv(b"(10,0,0,1,+4,1)"), k, Reason::Sign, 0, 10);
        assert_fails(parse_pasv(b"(127,0,0,1,0,0)"), k, Reason::PortZero, 0, 11);
        assert_fails(
            parse_pasv(b")("),
            k,
            Reason::Expected("comma-separated numbers"),
            0,
            2,
        );
        assert_fails(
            parse_pasv(b"Entering Passive Mode )127,0,0,1,4,1("),
            k,
            Reason::UnbalancedParenthesis,
            0,
            22,
        );
        assert_fails(
            parse_pasv(b"(127,0,0,1,4,1)("),
            k,
            Reason::UnbalancedParenthesis,
            0,
            15,
        );
        assert_fails(
            parse_pasv(b"(127,0,0,1,4,1"),
            k,
            Reason::UnbalancedParenthesis,
            0,
            14,
        );
        assert_fails(
            parse_pasv(b"127,0,0,1,4,1)"),
            k,
            Reason::UnbalancedParenthesis,
            0,
            13,
        );
        assert_fails(
            parse_pasv(b"(127,0,0,1,4,)"),
            k,
            Reason::Expected("a decimal number 0-255"),
            0,
            13,
        );
        assert_fails(
            parse_pasv(b"(127,0,0,1,4,1),"),
            k,
            Reason::Expected("the end of the numbers"),
            0,
            15,
        );
        assert_fails(
            parse_pasv(b"Entering Passive Mode"),
            k,
            Reason::Expected("comma-separated numbers"),
            0,
            21,
        );
        assert_fails(
            parse_pasv(b""),
            k,
            Reason::Expected("comma-separated numbers"),
            0,
            0,
        );
        assert_fails(
            parse_pasv(b"(127 0 0 1 4 1)"),
            k,
            Reason::TooFewNumbers {
                expected: 6,
                found: 1,
            },
            0,
            4,
        );
    }

    #[test]
    fn lpsv_known_answers() {
        let cases: &[(&[u8], &str)] = &[
            (
                b"Entering Long Passive Mode (4,4,127,0,0,1,2,219,87)",
                "127.0.0.1:56151",
            ),
            (b"(4,4,127,0,0,1,2,219,87).", "127.0.0.1:56151"),
            (b"4,4,10,0,0,1,2,0,21", "10.0.0.1:21"),
            (
                b"Entering Long Passive Mode (6,16,32,1,13,184,0,0,0,0,0,0,0,0,0,0,0,1,2,4,1)",
                "[2001:db8::1]:1025",
            ),
            (
                b"(6,16,0,0,0,0,0,0,0,0,0,0,255,255,192,0,2,1,2,0,21)",
                "[::ffff:192.0.2.1]:21",
            ),
        ];
        for &(text, want) in cases {
            assert_eq!(parse_lpsv(text), Ok(sock(want)), "{}", text.escape_ascii());
        }
    }

    #[test]
    fn lpsv_rejects() {
        let k = PayloadKind::Lpsv;
        assert_fails(
            parse_lpsv(b"(4,16,127,0,0,1,2,4,1)"),
            k,
            Reason::LengthMismatch {
                what: "host address length",
                expected: 4,
                found: 16,
            },
            0,
            3,
        );
        assert_fails(
            parse_lpsv(b"(6,4,127,0,0,1,2,4,1)"),
            k,
            Reason::LengthMismatch {
                what: "host address length",
                expected: 16,
                found: 4,
            },
            0,
            3,
        );
        assert_fails(
            parse_lpsv(b"(4,4,127,0,0,1,3,4,1,0)"),
            k,
            Reason::LengthMismatch {
                what: "port address length",
                expected: 2,
                found: 3,
            },
            0,
            15,
        );
        assert_fails(
            parse_lpsv(b"(4,4,127,0,0,1,1,4)"),
            k,
            Reason::LengthMismatch {
                what: "port address length",
                expected: 2,
                found: 1,
            },
            0,
            15,
        );
        assert_fails(
            parse_lpsv(b"(5,4,127,0,0,1,2,4,1)"),
            k,
            Reason::UnsupportedFamily(5),
            0,
            1,
        );
        assert_fails(
            parse_lpsv(b"(4,4,127,0,0,1,2,4)"),
            k,
            Reason::TooFewNumbers {
                expected: 9,
                found: 8,
            },
            0,
            18,
        );
        assert_fails(
            parse_lpsv(b"(4,4,127,0,0,1,2,4,1,7)"),
            k,
            Reason::TooManyNumbers { expected: 9 },
            0,
            20,
        );
        assert_fails(
            parse_lpsv(b"(4,4,127,0,0,1,2,0,0)"),
            k,
            Reason::PortZero,
            0,
            17,
        );
        assert_fails(
            parse_lpsv(b"(4,4,127,0,0,256,2,4,1)"),
            k,
            Reason::OutOfRange {
                what: "number",
                min: 0,
                max: 255,
            },
            0,
            13,
        );
        assert_fails(
            parse_lpsv(b"(4,4,127,0,0,1,2,4,1"),
            k,
            Reason::UnbalancedParenthesis,
            0,
            20,
        );
        assert_fails(
            parse_lpsv(b"(6,16,32,1,13,184,0,0,0,0,0,0,0,0,0,0,0,1,2,4)"),
            k,
            Reason::TooFewNumbers {
                expected: 21,
                found: 20,
            },
            0,
            45,
        );
    }

    #[test]
    fn epsv_known_answers() {
        let cases: &[(&[u8], u16)] = &[
            (b"Entering Extended Passive Mode (|||6446|)", 6446),
            (b"Entering Extended Passive Mode (!!!6446!)", 6446),
            (b"Entering Extended Passive Mode (|||6446|).", 6446),
            (b"(|||6446|)", 6446),
            (b"(|||1|)", 1),
            (b"(|||65535|)", 65535),
            (b"(###00021#)", 21),
            (b"()))6446))", 6446),
            (b"(~~~80~)", 80),
        ];
        for &(text, want) in cases {
            assert_eq!(parse_epsv(text), Ok(want), "{}", text.escape_ascii());
        }
    }

    #[test]
    fn epsv_rejects() {
        let k = PayloadKind::Epsv;
        let p = b"Entering Extended Passive Mode ";
        let with_prefix = |tail: &[u8]| [&p[..], tail].concat();
        assert_fails(
            parse_epsv(&with_prefix(b"(!!6446!)")),
            k,
            Reason::DelimiterMismatch {
                expected: b'!',
                found: Some(b'6'),
            },
            0,
            p.len() + 3,
        );
        assert_fails(
            parse_epsv(b"(|||4242)"),
            k,
            Reason::DelimiterMismatch {
                expected: b'|',
                found: Some(b')'),
            },
            0,
            8,
        );
        assert_fails(
            parse_epsv(b"(|||6446!)"),
            k,
            Reason::DelimiterMismatch {
                expected: b'|',
                found: Some(b'!'),
            },
            0,
            8,
        );
        assert_fails(
            parse_epsv(b"(|||6446"),
            k,
            Reason::DelimiterMismatch {
                expected: b'|',
                found: None,
            },
            0,
            8,
        );
        assert_fails(
            parse_epsv(b"(||"),
            k,
            Reason::DelimiterMismatch {
                expected: b'|',
                found: None,
            },
            0,
            3,
        );
        assert_fails(
            parse_epsv(b"(||||)"),
            k,
            Reason::Expected("a port number"),
            0,
            4,
        );
        assert_fails(
            parse_epsv(b"(   6446 )"),
            k,
            Reason::InvalidDelimiter(b' '),
            0,
            1,
        );
        assert_fails(
            parse_epsv(b"(1116441)"),
            k,
            Reason::InvalidDelimiter(b'1'),
            0,
            1,
        );
        assert_fails(
            parse_epsv(b"(\x7f\x7f\x7f6446\x7f)"),
            k,
            Reason::InvalidDelimiter(0x7f),
            0,
            1,
        );
        assert_fails(parse_epsv(b"("), k, Reason::Expected("a delimiter"), 0, 1);
        assert_fails(
            parse_epsv(b"(|1|2|6446|)"),
            k,
            Reason::NetFieldNotEmpty,
            0,
            2,
        );
        assert_fails(
            parse_epsv(b"(||::1|6446|)"),
            k,
            Reason::NetFieldNotEmpty,
            0,
            3,
        );
        assert_fails(parse_epsv(b"(|||-6446|)"), k, Reason::Sign, 0, 4);
        assert_fails(parse_epsv(b"(|||+6446|)"), k, Reason::Sign, 0, 4);
        assert_fails(parse_epsv(b"(|||0|)"), k, Reason::PortZero, 0, 4);
        assert_fails(parse_epsv(b"(|||00000|)"), k, Reason::PortZero, 0, 4);
        assert_fails(
            parse_epsv(b"(|||65536|)"),
            k,
            Reason::OutOfRange {
                what: "port",
                min: 0,
                max: 65535,
            },
            0,
            4,
        );
        assert_fails(
            parse_epsv(b"(|||123456|)"),
            k,
            Reason::TooManyDigits { max: 5 },
            0,
            4,
        );
        assert_fails(
            parse_epsv(b"(|||6446|"),
            k,
            Reason::ExpectedByte(b')'),
            0,
            9,
        );
        assert_fails(
            parse_epsv(b"Entering Extended Passive Mode"),
            k,
            Reason::Expected("'(' before the port"),
            0,
            30,
        );
    }

    #[test]
    fn passive_target_uses_control_peer_by_default() {
        let peer = IpAddr::V4(Ipv4Addr::new(203, 0, 113, 5));
        assert_eq!(PassivePolicy::default(), PassivePolicy::UseControlPeer);
        let t = passive_target(peer, sock("10.0.0.7:1025"), PassivePolicy::default());
        assert_eq!(t.addr, sock("203.0.113.5:1025"));
        assert!(t.advertised_host_differs);

        let t = passive_target(peer, sock("203.0.113.5:2000"), PassivePolicy::default());
        assert_eq!(t.addr, sock("203.0.113.5:2000"));
        assert!(!t.advertised_host_differs);

        let t = passive_target(peer, sock("0.0.0.0:2000"), PassivePolicy::UseControlPeer);
        assert_eq!(t.addr, sock("203.0.113.5:2000"));
        assert!(t.advertised_host_differs);
    }

    #[test]
    fn passive_target_trusts_advertised_only_on_request() {
        let peer = IpAddr::V4(Ipv4Addr::new(203, 0, 113, 5));
        let t = passive_target(peer, sock("10.0.0.7:1025"), PassivePolicy::TrustAdvertised);
        assert_eq!(t.addr, sock("10.0.0.7:1025"));
        assert!(t.advertised_host_differs);

        // 0.0.0.0 and :: cannot be connected to: the control peer stands in.
        let t = passive_target(peer, sock("0.0.0.0:2000"), PassivePolicy::TrustAdvertised);
        assert_eq!(t.addr, sock("203.0.113.5:2000"));
        assert!(t.advertised_host_differs);
        let peer6 = IpAddr::V6("2001:db8::7".parse().unwrap());
        let t = passive_target(peer6, sock("[::]:2000"), PassivePolicy::TrustAdvertised);
        assert_eq!(t.addr, sock("[2001:db8::7]:2000"));
        assert!(t.advertised_host_differs);
    }

    #[test]
    fn passive_target_sees_through_ipv4_mapped_peers() {
        let mapped = IpAddr::V6(Ipv4Addr::new(192, 0, 2, 1).to_ipv6_mapped());
        let t = passive_target(mapped, sock("192.0.2.1:1025"), PassivePolicy::default());
        assert_eq!(t.addr, SocketAddr::new(mapped, 1025));
        assert!(!t.advertised_host_differs);
    }

    #[test]
    fn passive_target_from_parsed_replies() {
        let peer = IpAddr::V6("2001:db8::1".parse().unwrap());
        let advertised = parse_lpsv(b"(6,16,32,1,13,184,0,0,0,0,0,0,0,0,0,0,0,1,2,4,1)").unwrap();
        let t = passive_target(peer, advertised, PassivePolicy::default());
        assert_eq!(t.addr, sock("[2001:db8::1]:1025"));
        assert!(!t.advertised_host_differs);
    }

    #[test]
    fn ipv6_lpsv_keeps_mapped_addresses() {
        let addr = parse_lpsv(b"(6,16,0,0,0,0,0,0,0,0,0,0,255,255,10,0,0,1,2,0,21)").unwrap();
        assert_eq!(
            addr,
            SocketAddr::new(
                IpAddr::V6(Ipv6Addr::new(0, 0, 0, 0, 0, 0xffff, 0x0a00, 1)),
                21
            )
        );
    }

    proptest! {
        #[test]
        fn pasv_round_trip(
            ip in any::<Ipv4Addr>(),
            port in 1u16..,
            prefix in prop::sample::select(vec!["Entering Passive Mode ", "=", "PASV OK ", ""]),
            parens in any::<bool>(),
            padded in any::<bool>(),
            suffix in prop::sample::select(vec!["", ".", " ok"]),
        ) {
            let [h1, h2, h3, h4] = ip.octets();
            let [p1, p2] = port.to_be_bytes();
            let numbers = if padded {
                format!("{h1:03},{h2:03},{h3:03},{h4:03},{p1:03},{p2:03}")
            } else {
                format!("{h1},{h2},{h3},{h4},{p1},{p2}")
            };
            let text = if parens {
                format!("{prefix}({numbers}){suffix}")
            } else {
                format!("{prefix}{numbers}{suffix}")
            };
            prop_assert_eq!(parse_pasv(text.as_bytes()), Ok(SocketAddrV4::new(ip, port)));
        }

        #[test]
        fn lpsv_round_trip(addr in any::<SocketAddr>().prop_filter("port 0", |a| a.port() != 0)) {
            let (af, host): (u8, Vec<u8>) = match addr.ip() {
                IpAddr::V4(ip) => (4, ip.octets().to_vec()),
                IpAddr::V6(ip) => (6, ip.octets().to_vec()),
            };
            let mut numbers = vec![af, u8::try_from(host.len()).unwrap()];
            numbers.extend(host);
            numbers.push(2);
            numbers.extend(addr.port().to_be_bytes());
            let list: Vec<String> = numbers.iter().map(u8::to_string).collect();
            let text = format!("Entering Long Passive Mode ({}).", list.join(","));
            let want = match addr {
                SocketAddr::V4(_) => addr,
                SocketAddr::V6(a) => SocketAddr::new(IpAddr::V6(*a.ip()), a.port()),
            };
            prop_assert_eq!(parse_lpsv(text.as_bytes()), Ok(want));
        }

        #[test]
        fn epsv_round_trip(
            d in (33u8..=126).prop_filter("digit", |d| !d.is_ascii_digit()),
            port in 1u16..,
            prefix in prop::sample::select(vec!["Entering Extended Passive Mode ", ""]),
        ) {
            let d = char::from(d);
            let text = format!("{prefix}({d}{d}{d}{port}{d})");
            prop_assert_eq!(parse_epsv(text.as_bytes()), Ok(port));
        }
    }
}

/// 110 restart marker.
mod marker {
    use ftp_reply::payload::parse_restart_marker;
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn restart_marker_known_answers() {
        let m = parse_restart_marker(b"MARK 1024 = 2048").unwrap();
        assert_eq!((m.user, m.server), (&b"1024"[..], &b"2048"[..]));
        let m = parse_restart_marker(b"MARK a=b = c").unwrap();
        assert_eq!((m.user, m.server), (&b"a=b"[..], &b"c"[..]));
        let m = parse_restart_marker(b"MARK 0 = 0").unwrap();
        assert_eq!((m.user, m.server), (&b"0"[..], &b"0"[..]));
    }

    #[test]
    fn restart_marker_rejects() {
        let k = PayloadKind::RestartMarker;
        let marker = Reason::Expected("a marker (printable ASCII, no space)");
        assert_fails(
            parse_restart_marker(b"MARK 1024=2048"),
            k,
            Reason::Expected("\" = \" after the marker"),
            0,
            14,
        );
        assert_fails(
            parse_restart_marker(b"MARK r:17/x ~ = ="),
            k,
            Reason::Expected("\" = \" after the marker"),
            0,
            11,
        );
        assert_fails(
            parse_restart_marker(b"MARK 1 =2"),
            k,
            Reason::Expected("\" = \" after the marker"),
            0,
            6,
        );
        assert_fails(
            parse_restart_marker(b"mark 1 = 2"),
            k,
            Reason::Expected("\"MARK \""),
            0,
            0,
        );
        assert_fails(
            parse_restart_marker(b""),
            k,
            Reason::Expected("\"MARK \""),
            0,
            0,
        );
        assert_fails(parse_restart_marker(b"MARK  = 2"), k, marker, 0, 5);
        assert_fails(parse_restart_marker(b"MARK 1 = "), k, marker, 0, 9);
        assert_fails(parse_restart_marker(b"MARK 1 =  2"), k, marker, 0, 9);
        assert_fails(parse_restart_marker(b"MARK \xc3\xa9 = 2"), k, marker, 0, 5);
        assert_fails(
            parse_restart_marker(b"MARK 1 = 2 "),
            k,
            Reason::Expected("the end of the text after the marker"),
            0,
            10,
        );
        assert_fails(
            parse_restart_marker(b"MARK 1 = 2\x00"),
            k,
            Reason::Expected("the end of the text after the marker"),
            0,
            10,
        );
    }

    proptest! {
        #[test]
        fn restart_marker_round_trip(user in "[!-~]{1,20}", server in "[!-~]{1,20}") {
            let text = format!("MARK {user} = {server}");
            let m = parse_restart_marker(text.as_bytes()).unwrap();
            prop_assert_eq!(m.user, user.as_bytes());
            prop_assert_eq!(m.server, server.as_bytes());
        }
    }
}

/// 257 pathname.
mod pathname {
    use std::borrow::Cow;

    use ftp_reply::payload::parse_pathname;
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn pathname_known_answers() {
        let cases: &[(&[u8], &[u8], bool)] = &[
            (b"\"/usr/dm\" created.", b"/usr/dm", true),
            (
                b"there is rubbish all over \"/this/is/the/path\"",
                b"/this/is/the/path",
                true,
            ),
            (b"\"/a\"\"b\" created", b"/a\"b", false),
            (b"\"/a\"\"b\"", b"/a\"b", false),
            (
                b"\"/tmp/dir with \"quotes\"\" is current directory.",
                b"/tmp/dir with \"quotes\"",
                true,
            ),
            (
                b"\"/tmp/dir with \"quotes\" in it\" is current directory.",
                b"/tmp/dir with \"quotes\" in it",
                true,
            ),
            (b"\"/tmp/a\"b\"", b"/tmp/a\"b", true),
            (b"\"/home\".", b"/home", true),
            (b"\"/\"", b"/", true),
            (b"\"\"\"\" is a quote", b"\"", false),
            (b"\"/caf\xe9\" is current directory", b"/caf\xe9", true),
            (b"\"C:\\dir\" is cwd", b"C:\\dir", true),
            (b"MKD \"/a b\" done", b"/a b", true),
            (b"\"/usr/dm\"\"x\"\"\" created", b"/usr/dm\"x\"", false),
        ];
        for &(text, want, borrowed) in cases {
            let got = parse_pathname(text).unwrap();
            assert_eq!(&*got, want, "{}", text.escape_ascii());
            assert_eq!(
                matches!(got, Cow::Borrowed(_)),
                borrowed,
                "{}",
                text.escape_ascii()
            );
        }
    }

    #[test]
    fn pathname_rejects() {
        let k = PayloadKind::Pathname;
        let unterminated = Reason::Unterminated("pathname (no closing quote)");
        assert_fails(parse_pathname(b"\"/unterminated"), k, unterminated, 0, 14);
        assert_fails(parse_pathname(b"\"/a\"\"b"), k, unterminated, 0, 6);
        assert_fails(
            parse_pathname(b"no quotes"),
            k,
            Reason::Expected("a '\"' opening the pathname"),
            0,
            9,
        );
        assert_fails(
            parse_pathname(b"\"\" empty"),
            k,
            Reason::Empty("pathname"),
            0,
            1,
        );
        assert_fails(
            parse_pathname(b"\"/a\tb\""),
            k,
            Reason::ControlCharacter(b'\t'),
            0,
            3,
        );
        assert_fails(
            parse_pathname(b"\"/a\x7fb\" x"),
            k,
            Reason::ControlCharacter(0x7f),
            0,
            3,
        );
        assert_fails(
            parse_pathname(b"x \"/a\x00b\""),
            k,
            Reason::ControlCharacter(0),
            0,
            5,
        );
        assert_fails(
            parse_pathname(b"\"/a\"\"\rb\" x"),
            k,
            Reason::ControlCharacter(b'\r'),
            0,
            5,
        );
    }

    proptest! {
        #[test]
        fn pathname_round_trip(
            path in prop::collection::vec(prop_oneof![Just(b'"'), 0x20u8..0x7f, 0x80u8..], 1..60),
            commentary in prop::sample::select(vec!["", " is current directory.", " created"]),
            prefix in prop::sample::select(vec!["", "MKD ", "there is rubbish all over "]),
        ) {
            let mut text = prefix.as_bytes().to_vec();
            text.push(b'"');
            for &b in &path {
                text.push(b);
                if b == b'"' {
                    text.push(b'"');
                }
            }
            text.push(b'"');
            text.extend_from_slice(commentary.as_bytes());
            let got = parse_pathname(&text).unwrap();
            prop_assert_eq!(&*got, &path[..]);
            prop_assert_eq!(matches!(got, Cow::Borrowed(_)), !path.contains(&b'"'));
        }
    }
}

/// 631/632/633 protected replies.
mod protected {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use ftp_reply::ReplyCode;
    use ftp_reply::payload::{Cleartext, Protection, SecurityMechanism, parse_protected};
    use proptest::prelude::*;

    use super::*;

    fn b64(bytes: &[u8]) -> String {
        STANDARD.encode(bytes)
    }

    /// The lines of a 63z reply carrying `fragments`, one per line.
    fn protected_lines(code: u16, fragments: &[&[u8]]) -> Vec<Vec<u8>> {
        let n = fragments.len();
        fragments
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let sep = if i + 1 == n { ' ' } else { '-' };
                format!("{code}{sep}{}", b64(f)).into_bytes()
            })
            .collect()
    }

    const INNER: &[u8] = b"250-First line\r\n250-Second line\r\n250 Done\r\n";

    #[test]
    fn protected_three_encodings_give_the_same_plaintext() {
        let one_line = protected_lines(631, &[INNER]);
        let per_inner_line = protected_lines(
            631,
            &[
                b"250-First line\r\n",
                b"250-Second line\r\n",
                b"250 Done\r\n",
            ],
        );
        let off_boundaries = protected_lines(631, &[&INNER[..5], &INNER[5..21], &INNER[21..]]);
        for lines in [&one_line, &per_inner_line, &off_boundaries] {
            let payload = parse_protected(lines).unwrap();
            assert_eq!(payload.protection, Protection::Integrity);
            assert_eq!(payload.data, INNER);
            assert_eq!(payload.tokens().count(), lines.len());
            assert_eq!(payload.unwrap_with(&mut Cleartext).unwrap(), INNER);
        }
        let payload = parse_protected(&off_boundaries).unwrap();
        let tokens: Vec<&[u8]> = payload.tokens().collect();
        assert_eq!(tokens, [&INNER[..5], &INNER[5..21], &INNER[21..]]);
    }

    /// A mechanism whose tokens are `"T"` and the plaintext: unwrapping the
    /// concatenation instead of each token would fail.
    struct Tagged {
        calls: usize,
    }

    impl SecurityMechanism for Tagged {
        type Error = &'static str;
        fn unwrap(
            &mut self,
            protection: Protection,
            token: &[u8],
        ) -> Result<Vec<u8>, &'static str> {
            assert_eq!(protection, Protection::Confidentiality);
            self.calls += 1;
            match token.split_first() {
                Some((b'T', plain)) => Ok(plain.to_vec()),
                _ => Err("untagged token"),
            }
        }
    }

    #[test]
    fn protected_tokens_are_unwrapped_one_by_one() {
        let lines = protected_lines(633, &[b"T250-First ", b"Tline\r\n250 Done", b"T\r\n"]);
        let payload = parse_protected(&lines).unwrap();
        assert_eq!(payload.protection, Protection::Confidentiality);
        let mut mech = Tagged { calls: 0 };
        assert_eq!(
            payload.unwrap_with(&mut mech).unwrap(),
            b"250-First line\r\n250 Done\r\n"
        );
        assert_eq!(mech.calls, 3);

        let lines = protected_lines(633, &[b"T250 ok", b"250 bad"]);
        let payload = parse_protected(&lines).unwrap();
        assert_eq!(
            payload.unwrap_with(&mut Tagged { calls: 0 }),
            Err("untagged token")
        );
    }

    #[test]
    fn protected_known_lines() {
        let p = parse_protected([&b"632 MjAwIE9LDQo="[..]]).unwrap();
        assert_eq!(p.protection, Protection::ConfidentialityAndIntegrity);
        assert_eq!(p.data, b"200 OK\r\n");
        let p = parse_protected(["633-QQ==", "633-QUI=", "633 QUJD"]).unwrap();
        assert_eq!(p.protection, Protection::Confidentiality);
        assert_eq!(p.data, b"AABABC");
        let tokens: Vec<&[u8]> = p.tokens().collect();
        assert_eq!(tokens, [&b"A"[..], b"AB", b"ABC"]);
    }

    #[test]
    fn protected_rejects() {
        let k = PayloadKind::Protected;
        let none: [&[u8]; 0] = [];
        assert_fails(
            parse_protected(none),
            k,
            Reason::Expected("a 631, 632 or 633 line"),
            0,
            0,
        );
        assert_fails(
            parse_protected(["631-QQ==", "632 QQ=="]),
            k,
            Reason::CodeMismatch(631),
            1,
            0,
        );
        assert_fails(
            parse_protected(["631-QQ==", "QQ=="]),
            k,
            Reason::Expected("reply code 631, 632 or 633"),
            1,
            0,
        );
        assert_fails(
            parse_protected(["630 QQ=="]),
            k,
            Reason::Expected("reply code 631, 632 or 633"),
            0,
            0,
        );
        assert_fails(
            parse_protected(["250 QQ=="]),
            k,
            Reason::Expected("reply code 631, 632 or 633"),
            0,
            0,
        );
        assert_fails(
            parse_protected(["631"]),
            k,
            Reason::Expected("'-' or ' ' after the reply code"),
            0,
            3,
        );
        assert_fails(
            parse_protected(["6311QQ=="]),
            k,
            Reason::Expected("'-' or ' ' after the reply code"),
            0,
            3,
        );
        assert_fails(
            parse_protected(["631 "]),
            k,
            Reason::Empty("Base64 fragment"),
            0,
            4,
        );
        assert_fails(
            parse_protected(["631-", "631 QQ=="]),
            k,
            Reason::Empty("Base64 fragment"),
            0,
            4,
        );
        assert_fails(
            parse_protected(["631 QQ==", "631 QQ=="]),
            k,
            Reason::AfterFinalLine,
            1,
            0,
        );
        assert_fails(
            parse_protected(["631-QQ==", "631-QQ=="]),
            k,
            Reason::Unterminated("protected reply (no line with a space after the code)"),
            2,
            0,
        );
        assert_fails(
            parse_protected(["631 QQ"]),
            k,
            Reason::Base64("missing or wrong padding"),
            0,
            6,
        );
        assert_fails(
            parse_protected(["631 Q"]),
            k,
            Reason::Base64("a lone symbol in the last quad"),
            0,
            5,
        );
        assert_fails(
            parse_protected(["631 Q Q=="]),
            k,
            Reason::Base64("byte outside the standard alphabet"),
            0,
            5,
        );
        assert_fails(
            parse_protected(["631 QQ== "]),
            k,
            Reason::Base64("byte outside the standard alphabet"),
            0,
            8,
        );
        assert_fails(
            parse_protected(["631-QQ==", "631 QQ==QQ=="]),
            k,
            Reason::Base64("padding before the end"),
            1,
            6,
        );
        assert_fails(
            parse_protected(["631 QR=="]),
            k,
            Reason::Base64("last symbol has non-zero unused bits"),
            0,
            5,
        );
        assert_fails(
            parse_protected(["631 Q-_="]),
            k,
            Reason::Base64("byte outside the standard alphabet"),
            0,
            5,
        );
    }

    #[test]
    fn protection_codes_and_names() {
        let all = [
            (631, Protection::Integrity, "integrity"),
            (
                632,
                Protection::ConfidentialityAndIntegrity,
                "confidentiality-and-integrity",
            ),
            (633, Protection::Confidentiality, "confidentiality"),
        ];
        for (code, protection, name) in all {
            let code = ReplyCode::new(code).unwrap();
            assert_eq!(Protection::from_code(code), Some(protection));
            assert_eq!(protection.code(), code);
            assert_eq!(protection.name(), name);
            assert_eq!(protection.to_string(), name);
        }
        assert_eq!(Protection::from_code(ReplyCode::new(630).unwrap()), None);
        assert_eq!(Protection::from_code(ReplyCode::COMMAND_OK), None);
    }

    proptest! {
        #[test]
        fn protected_round_trip(
            plaintext in prop::collection::vec(any::<u8>(), 1..200),
            cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..6),
            code in 631u16..=633,
        ) {
            let mut cuts: Vec<usize> = cuts.iter().map(|i| i.index(plaintext.len())).collect();
            cuts.push(0);
            cuts.push(plaintext.len());
            cuts.sort_unstable();
            cuts.dedup();
            let fragments: Vec<&[u8]> = cuts.windows(2).map(|w| &plaintext[w[0]..w[1]]).collect();
            let lines = protected_lines(code, &fragments);
            let payload = parse_protected(&lines).unwrap();
            prop_assert_eq!(payload.protection.code().as_u16(), code);
            prop_assert_eq!(payload.tokens().collect::<Vec<_>>(), fragments);
            prop_assert_eq!(payload.unwrap_with(&mut Cleartext).unwrap(), plaintext);
        }
    }
}

/// 150/125 transfer size, 120 delay, 213 SIZE, 215 system type.
mod status {
    use ftp_reply::payload::{parse_ready_in, parse_size, parse_system_type, parse_transfer_size};
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn transfer_size_known_answers() {
        let cases: &[(&[u8], Option<u64>)] = &[
            (
                b"Opening BINARY mode data connection for file.bin (1234 bytes).",
                Some(1234),
            ),
            (b"Opening data connection for x (1234 BYTES)", Some(1234)),
            (b"Opening data connection for x (1 byte)", Some(1)),
            (b"Opening data connection for x (0 bytes)", Some(0)),
            (
                b"Opening ASCII mode (text) data connection for a (5 bytes).",
                Some(5),
            ),
            (b"(18446744073709551615 bytes)", Some(u64::MAX)),
            (b"Data connection already open; transfer starting.", None),
            (b"Opening data connection for x (1234bytes)", None),
            (b"Opening data connection for x ( 1234 bytes)", None),
            (b"Opening data connection for x (12 kbytes)", None),
            (b"Opening data connection for x (1,234 bytes)", None),
            (b"Opening data connection for x (1234 bytes", None),
            (b"", None),
        ];
        for &(text, want) in cases {
            assert_eq!(
                parse_transfer_size(text),
                Ok(want),
                "{}",
                text.escape_ascii()
            );
        }
        assert_fails(
            parse_transfer_size(b"for x (99999999999999999999999 bytes)"),
            PayloadKind::TransferSize,
            Reason::OutOfRange {
                what: "transfer size",
                min: 0,
                max: u64::MAX,
            },
            0,
            7,
        );
    }

    #[test]
    fn ready_in_known_answers() {
        let cases: &[(&[u8], Option<u32>)] = &[
            (b"Service ready in 15 minutes.", Some(15)),
            (b"Try again IN 1 MINUTE", Some(1)),
            (b"in 5 minutes", Some(5)),
            (b"ready in 5 minutes, or in 10 minutes", Some(5)),
            (b"Service ready in 4294967295 minutes", Some(u32::MAX)),
            (b"Service ready in nnn minutes.", None),
            (b"Service ready within 5 minutes", None),
            (b"Service ready in 5 minutesXYZ", None),
            (b"Service ready in 5 hours", None),
            (b"Service ready in  5 minutes", None),
            (b"", None),
        ];
        for &(text, want) in cases {
            assert_eq!(parse_ready_in(text), Ok(want), "{}", text.escape_ascii());
        }
        assert_fails(
            parse_ready_in(b"Service ready in 4294967296 minutes"),
            PayloadKind::ReadyIn,
            Reason::OutOfRange {
                what: "minutes",
                min: 0,
                max: u64::from(u32::MAX),
            },
            0,
            17,
        );
    }

    #[test]
    fn size_known_answers() {
        assert_eq!(parse_size(b"1234"), Ok(1234));
        assert_eq!(parse_size(b"0"), Ok(0));
        assert_eq!(parse_size(b"007"), Ok(7));
        assert_eq!(parse_size(b"18446744073709551615"), Ok(u64::MAX));
        let k = PayloadKind::Size;
        let range = Reason::OutOfRange {
            what: "file size",
            min: 0,
            max: u64::MAX,
        };
        assert_fails(parse_size(b"18446744073709551616"), k, range, 0, 0);
        assert_fails(parse_size(b"99999999999999999999999999"), k, range, 0, 0);
        let digits = Reason::Expected("a decimal file size");
        assert_fails(parse_size(b""), k, digits, 0, 0);
        assert_fails(parse_size(b" 12"), k, digits, 0, 0);
        assert_fails(parse_size(b"File not found"), k, digits, 0, 0);
        assert_fails(parse_size(b"-1"), k, Reason::Sign, 0, 0);
        assert_fails(
            parse_size(b"12 34"),
            k,
            Reason::Expected("only digits"),
            0,
            2,
        );
        assert_fails(parse_size(b"12a"), k, Reason::Expected("only digits"), 0, 2);
    }

    #[test]
    fn system_type_known_answers() {
        let s = parse_system_type(b"UNIX Type: L8").unwrap();
        assert_eq!((s.name, s.rest), (&b"UNIX"[..], &b"Type: L8"[..]));
        assert!(s.is("unix"));
        assert!(!s.is("unix type"));
        let s = parse_system_type(b"Windows_NT").unwrap();
        assert_eq!((s.name, s.rest), (&b"Windows_NT"[..], &b""[..]));
        let s = parse_system_type(b"UNIX ").unwrap();
        assert_eq!((s.name, s.rest), (&b"UNIX"[..], &b""[..]));
        let k = PayloadKind::SystemType;
        assert_fails(
            parse_system_type(b""),
            k,
            Reason::Expected("a system name"),
            0,
            0,
        );
        assert_fails(
            parse_system_type(b" UNIX"),
            k,
            Reason::Expected("a system name"),
            0,
            0,
        );
    }

    proptest! {
        #[test]
        fn transfer_size_round_trip(n in any::<u64>()) {
            let text = format!("Opening BINARY mode data connection for f ({n} bytes).");
            prop_assert_eq!(parse_transfer_size(text.as_bytes()), Ok(Some(n)));
        }

        #[test]
        fn ready_in_round_trip(n in any::<u32>()) {
            let text = format!("Service ready in {n} minutes.");
            prop_assert_eq!(parse_ready_in(text.as_bytes()), Ok(Some(n)));
        }

        #[test]
        fn size_round_trip(n in any::<u64>(), zeros in 0usize..30) {
            let text = format!("{}{n}", "0".repeat(zeros));
            prop_assert_eq!(parse_size(text.as_bytes()), Ok(n));
        }

        #[test]
        fn system_type_round_trip(name in "[!-~]{1,20}", rest in "[ -~]{0,30}") {
            let text = format!("{name} {rest}");
            let s = parse_system_type(text.as_bytes()).unwrap();
            prop_assert_eq!(s.name, name.as_bytes());
            prop_assert_eq!(s.rest, rest.as_bytes());
        }
    }
}

/// 213 MDTM.
mod mdtm {
    use ftp_reply::payload::{Timestamp, parse_mdtm};
    use proptest::prelude::*;

    use super::*;

    fn ts(
        year: u16,
        month: u8,
        day: u8,
        hour: u8,
        minute: u8,
        second: u8,
        nanos: u32,
    ) -> Timestamp {
        Timestamp {
            year,
            month,
            day,
            hour,
            minute,
            second,
            nanos,
        }
    }

    #[test]
    fn mdtm_known_answers() {
        let cases: &[(&[u8], Timestamp, i64)] = &[
            (b"19700101000000", ts(1970, 1, 1, 0, 0, 0, 0), 0),
            (
                b"20240229123456",
                ts(2024, 2, 29, 12, 34, 56, 0),
                1_709_210_096,
            ),
            (
                b"20240229123456.5",
                ts(2024, 2, 29, 12, 34, 56, 500_000_000),
                1_709_210_096,
            ),
            (
                b"20240229123456.123",
                ts(2024, 2, 29, 12, 34, 56, 123_000_000),
                1_709_210_096,
            ),
            (
                b"20240229123456.1234567891234",
                ts(2024, 2, 29, 12, 34, 56, 123_456_789),
                1_709_210_096,
            ),
            (b"20000229000000", ts(2000, 2, 29, 0, 0, 0, 0), 951_782_400),
            (
                b"20231231235960",
                ts(2023, 12, 31, 23, 59, 60, 0),
                1_704_067_200,
            ),
            (
                b"10000101000000",
                ts(1000, 1, 1, 0, 0, 0, 0),
                -30_610_224_000,
            ),
            (
                b"99991231235959",
                ts(9999, 12, 31, 23, 59, 59, 0),
                253_402_300_799,
            ),
        ];
        for &(text, want, unix) in cases {
            let got = parse_mdtm(text).unwrap();
            assert_eq!(got, want, "{}", text.escape_ascii());
            assert_eq!(got.unix_seconds(), unix, "{}", text.escape_ascii());
        }
    }

    #[test]
    fn mdtm_rejects() {
        let k = PayloadKind::Mdtm;
        let range = |what, min, max| Reason::OutOfRange { what, min, max };
        assert_fails(parse_mdtm(b"19000229000000"), k, range("day", 1, 28), 0, 6);
        assert_fails(parse_mdtm(b"20230229123456"), k, range("day", 1, 28), 0, 6);
        assert_fails(parse_mdtm(b"20240230123456"), k, range("day", 1, 29), 0, 6);
        assert_fails(parse_mdtm(b"20240431000000"), k, range("day", 1, 30), 0, 6);
        assert_fails(parse_mdtm(b"20240132000000"), k, range("day", 1, 31), 0, 6);
        assert_fails(parse_mdtm(b"20240100000000"), k, range("day", 1, 31), 0, 6);
        assert_fails(
            parse_mdtm(b"20241301000000"),
            k,
            range("month", 1, 12),
            0,
            4,
        );
        assert_fails(
            parse_mdtm(b"20240001000000"),
            k,
            range("month", 1, 12),
            0,
            4,
        );
        assert_fails(parse_mdtm(b"20240101240000"), k, range("hour", 0, 23), 0, 8);
        assert_fails(
            parse_mdtm(b"20240101006000"),
            k,
            range("minute", 0, 59),
            0,
            10,
        );
        assert_fails(
            parse_mdtm(b"20240101000061"),
            k,
            range("second", 0, 60),
            0,
            12,
        );
        assert_fails(
            parse_mdtm(b"09990101000000"),
            k,
            range("year", 1000, 9999),
            0,
            0,
        );
        // The Y2K bug of some servers: "19" followed by years since 1900.
        assert_fails(
            parse_mdtm(b"191000101000000"),
            k,
            range("month", 1, 12),
            0,
            4,
        );
        assert_fails(
            parse_mdtm(b"2024010100000"),
            k,
            Reason::Expected("a 2-digit second"),
            0,
            12,
        );
        assert_fails(parse_mdtm(b""), k, Reason::Expected("a 4-digit year"), 0, 0);
        assert_fails(
            parse_mdtm(b"2024-01-01 00:00:00"),
            k,
            Reason::Expected("a 2-digit month"),
            0,
            4,
        );
        assert_fails(
            parse_mdtm(b"20240101000000."),
            k,
            Reason::Expected("digits after '.'"),
            0,
            15,
        );
        assert_fails(
            parse_mdtm(b"20240101000000Z"),
            k,
            Reason::Expected("the end of the text or '.'"),
            0,
            14,
        );
        assert_fails(
            parse_mdtm(b"20240101000000.5x"),
            k,
            Reason::Expected("the end of the text or '.'"),
            0,
            16,
        );
        assert_fails(
            parse_mdtm(b" 20240101000000"),
            k,
            Reason::Expected("a 4-digit year"),
            0,
            0,
        );
    }

    /// Days since 1970-01-01, counted the slow way, to check `unix_seconds`.
    fn naive_days(year: u16, month: u8, day: u8) -> i64 {
        let leap = |y: i64| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        let y = i64::from(year);
        let mut days: i64 = if y >= 1970 {
            (1970..y).map(|y| if leap(y) { 366 } else { 365 }).sum()
        } else {
            -(y..1970)
                .map(|y| if leap(y) { 366 } else { 365 })
                .sum::<i64>()
        };
        let lengths = [
            31,
            if leap(y) { 29 } else { 28 },
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ];
        days += lengths[..usize::from(month - 1)].iter().sum::<i64>();
        days + i64::from(day) - 1
    }

    fn days_in(year: u16, month: u8) -> u8 {
        let leap =
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }

    proptest! {
        #[test]
        fn mdtm_round_trip(
            year in 1000u16..=9999,
            month in 1u8..=12,
            day in 1u8..=31,
            hour in 0u8..24,
            minute in 0u8..60,
            second in 0u8..=60,
            nanos in prop::option::of(0u32..1_000_000_000),
        ) {
            let day = day.min(days_in(year, month));
            let mut text = format!("{year:04}{month:02}{day:02}{hour:02}{minute:02}{second:02}");
            if let Some(n) = nanos {
                text.push_str(&format!(".{n:09}"));
            }
            let t = parse_mdtm(text.as_bytes()).unwrap();
            prop_assert_eq!(t, ts(year, month, day, hour, minute, second, nanos.unwrap_or(0)));
            let seconds = naive_days(year, month, day) * 86_400
                + i64::from(hour) * 3_600 + i64::from(minute) * 60 + i64::from(second);
            prop_assert_eq!(t.unix_seconds(), seconds);
        }
    }
}

/// 211 FEAT.
mod feat {
    use ftp_reply::payload::parse_feat;
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn feat_known_answers() {
        let lines: [&[u8]; 7] = [
            b"211-Features:",
            b" MDTM",
            b" REST STREAM",
            b" SIZE",
            b" MLST type*;size*;modify*;",
            b" UTF8",
            b"211 End",
        ];
        let f = parse_feat(lines).unwrap();
        let names: Vec<&[u8]> = f.iter().map(|f| f.name).collect();
        assert_eq!(names, [&b"MDTM"[..], b"REST", b"SIZE", b"MLST", b"UTF8"]);
        assert!(f.has("utf8") && f.has("UTF8") && f.has(b"Mdtm"));
        assert!(!f.has("EPSV") && !f.has("UTF"));
        assert_eq!(f.get("rest").unwrap().params, b"STREAM");
        assert_eq!(f.get("MLST").unwrap().params, b"type*;size*;modify*;");
        assert_eq!(f.get("SIZE").unwrap().params, b"");
        assert!(f.get("SIZE").unwrap().is("size"));
        assert_eq!(f.len(), 5);
        assert_eq!(f.as_slice().len(), 5);
        assert_eq!((&f).into_iter().count(), 5);
        assert_eq!(f.clone().into_vec().len(), 5);
    }

    #[test]
    fn feat_variants() {
        // Feature lines prefixed with "211-" instead of a space.
        let f = parse_feat([
            &b"211-Extensions supported:"[..],
            b"211-MDTM",
            b"211-SIZE",
            b"211 END",
        ])
        .unwrap();
        let names: Vec<&[u8]> = f.iter().map(|f| f.name).collect();
        assert_eq!(names, [&b"MDTM"[..], b"SIZE"]);

        let f = parse_feat([&b"211 no-features"[..]]).unwrap();
        assert!(f.is_empty());
        let f = parse_feat([&b"211"[..]]).unwrap();
        assert!(f.is_empty());

        // Extra spaces, trailing spaces and blank lines.
        let f = parse_feat([
            &b"211-Features"[..],
            b"  EPSV",
            b" AUTH TLS ",
            b" ",
            b"",
            b"211 End",
        ]);
        // An empty line is not a feature line: it does not start with a space.
        assert_fails(
            f,
            PayloadKind::Feat,
            Reason::Expected("' ' (a feature line) or reply code 211"),
            4,
            0,
        );
        let f = parse_feat([
            &b"211-Features"[..],
            b"  EPSV",
            b" AUTH TLS ",
            b" ",
            b"211 End",
        ])
        .unwrap();
        let got: Vec<(&[u8], &[u8])> = f.iter().map(|f| (f.name, f.params)).collect();
        assert_eq!(got, [(&b"EPSV"[..], &b""[..]), (b"AUTH", b"TLS")]);
    }

    #[test]
    fn feat_rejects() {
        let k = PayloadKind::Feat;
        let none: [&[u8]; 0] = [];
        assert_fails(parse_feat(none), k, Reason::Expected("a 211 line"), 0, 0);
        assert_fails(
            parse_feat([&b"500 FEAT not understood"[..]]),
            k,
            Reason::Expected("reply code 211"),
            0,
            0,
        );
        assert_fails(
            parse_feat([&b" UTF8"[..], b"211 End"]),
            k,
            Reason::Expected("reply code 211"),
            0,
            0,
        );
        assert_fails(
            parse_feat([&b"211-Features:"[..], b" UTF8"]),
            k,
            Reason::Unterminated("FEAT listing (no final \"211 \" line)"),
            2,
            0,
        );
        assert_fails(
            parse_feat([&b"211-Features:"[..], b"UTF8", b"211 End"]),
            k,
            Reason::Expected("' ' (a feature line) or reply code 211"),
            1,
            0,
        );
        assert_fails(
            parse_feat([&b"211-Features:"[..], b"212 End"]),
            k,
            Reason::Expected("' ' (a feature line) or reply code 211"),
            1,
            0,
        );
        assert_fails(
            parse_feat([&b"211 End"[..], b" UTF8"]),
            k,
            Reason::AfterFinalLine,
            1,
            0,
        );
        assert_fails(
            parse_feat([&b"211-x"[..], b"211 End", b"211 End"]),
            k,
            Reason::AfterFinalLine,
            2,
            0,
        );
        assert_fails(
            parse_feat([&b"211x"[..]]),
            k,
            Reason::Expected("'-' or ' ' after the reply code"),
            0,
            3,
        );
    }

    proptest! {
        #[test]
        fn feat_round_trip(
            features in prop::collection::vec(("[A-Z0-9]{1,8}", "([!-~]([ -~]{0,18}[!-~])?)?"), 0..10),
            dash_variant in any::<bool>(),
        ) {
            let mut lines = vec![b"211-Features:".to_vec()];
            for (name, params) in &features {
                let lead = if dash_variant { "211-" } else { " " };
                let line = if params.is_empty() {
                    format!("{lead}{name}")
                } else {
                    format!("{lead}{name} {params}")
                };
                lines.push(line.into_bytes());
            }
            lines.push(b"211 End".to_vec());
            let parsed = parse_feat(lines.iter().map(Vec::as_slice)).unwrap();
            let got: Vec<(&[u8], &[u8])> = parsed.iter().map(|f| (f.name, f.params)).collect();
            let want: Vec<(&[u8], &[u8])> =
                features.iter().map(|(n, p)| (n.as_bytes(), p.as_bytes())).collect();
            prop_assert_eq!(got, want);
            for (name, _) in &features {
                prop_assert!(parsed.has(name.to_ascii_lowercase()));
            }
        }
    }
}

/// Error messages, and input no parser may panic on.
mod hostile {
    use ftp_reply::payload::{
        Cleartext, parse_epsv, parse_feat, parse_lpsv, parse_mdtm, parse_pasv, parse_pathname,
        parse_protected, parse_ready_in, parse_restart_marker, parse_size, parse_system_type,
        parse_transfer_size,
    };
    use proptest::prelude::*;

    #[test]
    fn error_messages_say_what_and_where() {
        let e = parse_pasv(b"Entering Passive Mode (256,0,0,1,4,1)").unwrap_err();
        assert_eq!(
            e.to_string(),
            "pasv payload: number is not in 0..=255 at byte 23"
        );
        let e = parse_epsv(b"(|||6446!)").unwrap_err();
        assert_eq!(
            e.to_string(),
            "epsv payload: expected the delimiter '|' again, found '!' at byte 8"
        );
        let e = parse_epsv(b"(\x01").unwrap_err();
        assert_eq!(
            e.to_string(),
            "epsv payload: delimiter 0x01 is not printable ASCII other than a digit at byte 1"
        );
        let e = parse_protected(["631-QQ==", "631 Q Q=="]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "protected payload: invalid Base64: byte outside the standard alphabet at byte 5 of line 2"
        );
        let e = parse_feat([&b"211-Features:"[..], b" UTF8"]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "feat payload: unterminated FEAT listing (no final \"211 \" line) at byte 0 of line 3"
        );
        let e = parse_pathname(b"\"/a\x1bb\"").unwrap_err();
        assert_eq!(
            e.to_string(),
            "pathname payload: control character 0x1B in the pathname at byte 3"
        );
    }

    /// Bytes that steer the parsers into their deeper rules.
    fn payload_bytes() -> impl Strategy<Value = Vec<u8>> {
        let interesting =
            prop::sample::select(b"0123456789(),|!=-+. \"MARK21-63QZab/=\x00\x7f\xff".to_vec());
        prop_oneof![
            prop::collection::vec(any::<u8>(), 0..120),
            prop::collection::vec(interesting, 0..120),
        ]
    }

    proptest! {
        #[test]
        fn arbitrary_text_never_panics(text in payload_bytes()) {
            // Every error points inside the text (or just past its end).
            let offsets = [
                parse_pasv(&text).err(),
                parse_lpsv(&text).err(),
                parse_epsv(&text).err(),
                parse_restart_marker(&text).err(),
                parse_pathname(&text).err(),
                parse_transfer_size(&text).err(),
                parse_ready_in(&text).err(),
                parse_size(&text).err(),
                parse_mdtm(&text).err(),
                parse_system_type(&text).err(),
            ];
            for e in offsets.into_iter().flatten() {
                prop_assert!(e.offset <= text.len(), "{}", e);
                prop_assert_eq!(e.line, 0);
                prop_assert!(!e.to_string().is_empty());
            }
            if let Ok(path) = parse_pathname(&text) {
                prop_assert!(!path.is_empty());
                prop_assert!(path.iter().all(|&b| b >= 0x20 && b != 0x7f));
            }
        }

        #[test]
        fn arbitrary_lines_never_panic(lines in prop::collection::vec(payload_bytes(), 0..6)) {
            for e in [
                parse_feat(lines.iter().map(Vec::as_slice)).err(),
                parse_protected(&lines).err(),
            ].into_iter().flatten() {
                prop_assert!(e.line <= lines.len());
                let len = lines.get(e.line).map_or(0, Vec::len);
                prop_assert!(e.offset <= len, "{}", e);
            }
            if let Ok(p) = parse_protected(&lines) {
                prop_assert_eq!(p.tokens().count(), lines.len());
                prop_assert_eq!(p.unwrap_with(&mut Cleartext).unwrap(), p.data.clone());
            }
        }
    }
}
