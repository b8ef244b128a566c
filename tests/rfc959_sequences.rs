//! The crate's reply tables against the documents' command-reply sequences,
//! written here as the documents print them and parsed by the test.

use std::collections::BTreeSet;

use ftp_reply::{Command, CommandError, Expected};

/// RFC 959 §5.4, "Command-Reply Sequences", as printed (indentation relative).
///
/// "Preliminary replies are listed first (with their succeeding replies indented
/// and under them), then positive and negative completion, and finally
/// intermediary replies with the remaining commands from the sequence following."
const RFC_959: &str = "
Connection Establishment
   120
      220
   220
   421
Login
   USER
      230
      530
      500, 501, 421
      331, 332
   PASS
      230
      202
      530
      500, 501, 503, 421
      332
   ACCT
      230
      202
      530
      500, 501, 503, 421
   CWD
      250
      500, 501, 502, 421, 530, 550
   CDUP
      200
      500, 501, 502, 421, 530, 550
   SMNT
      202, 250
      500, 501, 502, 421, 530, 550
Logout
   REIN
      120
         220
      220
      421
      500, 502
   QUIT
      221
      500
Transfer parameters
   PORT
      200
      500, 501, 421, 530
   PASV
      227
      500, 501, 502, 421, 530
   MODE
      200
      500, 501, 504, 421, 530
   TYPE
      200
      500, 501, 504, 421, 530
   STRU
      200
      500, 501, 504, 421, 530
File action commands
   ALLO
      200
      202
      500, 501, 504, 421, 530
   REST
      500, 501, 502, 421, 530
      350
   STOR
      125, 150
         (110)
         226, 250
         425, 426, 451, 551, 552
      532, 450, 452, 553
      500, 501, 421, 530
   STOU
      125, 150
         (110)
         226, 250
         425, 426, 451, 551, 552
      532, 450, 452, 553
      500, 501, 421, 530
   RETR
      125, 150
         (110)
         226, 250
         425, 426, 451
      450, 550
      500, 501, 421, 530
   LIST
      125, 150
         226, 250
         425, 426, 451
      450
      500, 501, 502, 421, 530
   NLST
      125, 150
         226, 250
         425, 426, 451
      450
      500, 501, 502, 421, 530
   APPE
      125, 150
         (110)
         226, 250
         425, 426, 451, 551, 552
      532, 450, 550, 452, 553
      500, 501, 502, 421, 530
   RNFR
      450, 550
      500, 501, 502, 421, 530
      350
   RNTO
      250
      532, 553
      500, 501, 502, 503, 421, 530
   DELE
      250
      450, 550
      500, 501, 502, 421, 530
   RMD
      250
      500, 501, 502, 421, 530, 550
   MKD
      257
      500, 501, 502, 421, 530, 550
   PWD
      257
      500, 501, 502, 421, 550
   ABOR
      225, 226
      500, 501, 502, 421
Informational commands
   SYST
      215
      500, 501, 502, 421
   STAT
      211, 212, 213
      450
      500, 501, 502, 421, 530
   HELP
      211, 214
      500, 501, 502, 421
Miscellaneous commands
   SITE
      200
      202
      500, 501, 530
   NOOP
      200
      500 421
";

/// RFC 2228 §5, "Command-Reply Sequences", as printed. Sections marked "only new
/// replies listed" add to the RFC 959 lists.
const RFC_2228: &str = "
Security Association Setup
   AUTH
      234
      334
      502, 504, 534, 431
      500, 501, 421
   ADAT
      235
      335
      503, 501, 535
      500, 501, 421
Data protection negotiation commands
   PBSZ
      200
      503
      500, 501, 421, 530
   PROT
      200
      504, 536, 503, 534, 431
      500, 501, 421, 530
Command channel protection commands
   MIC
      535, 533
      500, 501, 421
   CONF
      535, 533
      500, 501, 421
   ENC
      535, 533
      500, 501, 421
Security-Enhanced login commands (only new replies listed)
   USER
      232
      336
Data channel commands (only new replies listed)
   STOR
      534, 535
   STOU
      534, 535
   RETR
      534, 535
   LIST
      534, 535
   NLST
      534, 535
   APPE
      534, 535
";

/// RFC 2228 §3, the CCC definition (CCC is not in the §5 list): "If the command
/// is not integrity-protected, the server must respond with a 533 reply code. If
/// the server is not willing to turn off the integrity requirement, it should
/// respond with a 534 reply code. Otherwise, the server must reply with a 200
/// reply code".
const RFC_2228_CCC: &str = "
Clear command channel
   CCC
      200
      533, 534
";

/// RFC 2389 §3.2 (FEAT: 211; "a 500 or 502 reply" where not supported; "Errors
/// in the command syntax, such as giving parameters, will result in a 501
/// reply") and §4 (OPTS: "200"; "451" / "501"; "If the OPTS command itself is not
/// recognized, a 500 or 502 reply will, of course, result").
const RFC_2389: &str = "
Feature negotiation
   FEAT
      211
      500, 501, 502
   OPTS
      200
      451, 501
      500, 502
";

/// RFC 2428 §2 (EPRT: 200; 500 and 501; 522 for an unsupported network
/// protocol) and §3 (EPSV: 229; 500 and 501; 522 for `EPSV <net-prt>` naming an
/// unsupported protocol).
const RFC_2428: &str = "
Extended address commands
   EPRT
      200
      500, 501, 522
   EPSV
      229
      500, 501, 522
";

/// RFC 1639 (LPRT and LPSV), as this crate transcribes it (from memory of the
/// text, not checked against it).
const RFC_1639: &str = "
Long address commands
   LPRT
      200
      500, 501, 521, 421, 530
   LPSV
      228
      500, 501, 502, 421, 530
";

/// RFC 3659 (SIZE, MDTM, MLST, MLSD), as this crate transcribes the replies its
/// text names around the "/ error-response" grammars (from memory of the text,
/// not checked against it).
const RFC_3659: &str = "
Extensions
   SIZE
      213
      550, 500, 501
   MDTM
      213
      550, 500, 501
   MLST
      250
      550, 501, 500
   MLSD
      125, 150
         226, 250
         425, 426, 451
      550, 501, 500
";

/// RFC 7151 (HOST), as this crate transcribes it (from memory of the text, not
/// checked against it).
const RFC_7151: &str = "
Virtual hosts
   HOST
      120
         220
      220
      421, 500, 501, 502, 503, 504
";

/// One command's list, as parsed from a block above.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Listed {
    name: String,
    section: String,
    preliminary: Vec<u16>,
    after_preliminary: Vec<u16>,
    restart_marker: bool,
    completion: Vec<u16>,
    intermediate: Vec<u16>,
    failure: Vec<u16>,
}

impl Listed {
    fn adds_only(&self) -> bool {
        self.section.contains("only new replies listed")
    }

    fn from_crate(name: &str, expected: &Expected) -> Listed {
        Listed {
            name: name.to_owned(),
            section: String::new(),
            preliminary: expected.preliminary.to_vec(),
            after_preliminary: expected.after_preliminary.to_vec(),
            restart_marker: expected.restart_marker,
            completion: expected.completion.to_vec(),
            intermediate: expected.intermediate.iter().map(|(c, _)| *c).collect(),
            failure: expected.failure.to_vec(),
        }
    }

    /// The codes as a comparable value (section dropped).
    fn codes(&self) -> Listed {
        Listed {
            section: String::new(),
            ..self.clone()
        }
    }
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// Parses a block: headings are lines that are not all upper-case letters and
/// not replies; a command is an upper-case word; replies are indented one step
/// (3 spaces) below their command, replies after a preliminary reply two steps.
/// A heading directly followed by replies (the connection greeting) is an entry
/// of its own. Each reply line's codes go by their first digit; repeated codes
/// are kept once.
fn parse(block: &str) -> Vec<Listed> {
    let mut entries: Vec<Listed> = Vec::new();
    let mut section = String::new();
    let mut owner_indent = 0;
    for line in block.lines().filter(|l| !l.trim().is_empty()) {
        let text = line.trim();
        let first = text.as_bytes()[0];
        if first.is_ascii_digit() || first == b'(' {
            let entry = entries.last_mut().expect("replies belong to an entry");
            let depth = (indent(line) - owner_indent) / 3;
            assert!(
                depth == 1 || depth == 2,
                "reply line at odd depth: {line:?}"
            );
            for token in text.split([',', ' ']).filter(|t| !t.is_empty()) {
                if token == "(110)" {
                    assert_eq!(depth, 2, "(110) belongs under a preliminary reply");
                    entry.restart_marker = true;
                    continue;
                }
                let code: u16 = token.parse().unwrap_or_else(|_| panic!("code {token:?}"));
                let list = match (depth, code / 100) {
                    (2, _) => &mut entry.after_preliminary,
                    (_, 1) => &mut entry.preliminary,
                    (_, 2) => &mut entry.completion,
                    (_, 3) => &mut entry.intermediate,
                    (_, 4 | 5) => &mut entry.failure,
                    _ => panic!("unexpected code {code} in {line:?}"),
                };
                if !list.contains(&code) {
                    list.push(code);
                }
            }
        } else if text.bytes().all(|b| b.is_ascii_uppercase()) {
            owner_indent = indent(line);
            entries.push(Listed {
                name: text.to_owned(),
                section: section.clone(),
                ..Listed::default()
            });
        } else {
            section = text.to_owned();
            owner_indent = indent(line);
            entries.push(Listed {
                name: text.to_owned(),
                section: section.clone(),
                ..Listed::default()
            });
        }
    }
    // Headings that only group commands have no replies of their own.
    entries.retain(|e| {
        !(e.preliminary.is_empty()
            && e.completion.is_empty()
            && e.intermediate.is_empty()
            && e.failure.is_empty())
    });
    entries
}

fn command(name: &str) -> Command {
    let command = Command::from_verb(name.as_bytes()).unwrap();
    assert!(command.is_known(), "{name} is not a known command");
    command
}

/// Checks one document's block against the crate: base lists against
/// `expected()`, "only new replies" sections against `additions()`. Returns the
/// commands whose base list the block holds.
fn check_document(block: &str, rfc: u16) -> BTreeSet<String> {
    let mut base = BTreeSet::new();
    for listed in parse(block) {
        if listed.name == "Connection Establishment" {
            assert_eq!(rfc, 959);
            assert_eq!(
                Listed::from_crate(&listed.name, &Expected::GREETING),
                listed.codes(),
                "greeting"
            );
            continue;
        }
        let cmd = command(&listed.name);
        if listed.adds_only() {
            let additions: Vec<_> = cmd.additions().iter().filter(|a| a.rfc == rfc).collect();
            assert_eq!(
                additions.len(),
                1,
                "{} additions from RFC {rfc}",
                listed.name
            );
            assert_eq!(
                Listed::from_crate(&listed.name, additions[0]),
                listed.codes(),
                "{} (RFC {rfc} additions)",
                listed.name
            );
        } else {
            let expected = cmd.expected().unwrap();
            assert_eq!(expected.rfc, rfc, "{} is listed by RFC {rfc}", listed.name);
            assert_eq!(
                cmd.rfc(),
                Some(rfc),
                "{} is defined by RFC {rfc}",
                listed.name
            );
            assert_eq!(
                Listed::from_crate(&listed.name, expected),
                listed.codes(),
                "{} (RFC {rfc})",
                listed.name
            );
            assert!(base.insert(listed.name.clone()), "{} twice", listed.name);
        }
    }
    base
}

#[test]
fn rfc959_lists_every_command_of_rfc959_as_the_crate_does() {
    let listed = check_document(RFC_959, 959);
    let defined: BTreeSet<String> = Command::ALL
        .iter()
        .filter(|c| c.rfc() == Some(959))
        .map(|c| c.as_str().to_owned())
        .collect();
    assert_eq!(listed, defined);
    assert_eq!(listed.len(), 33);
}

#[test]
fn rfc959_block_parses_as_printed() {
    let entries = parse(RFC_959);
    // The greeting and 33 commands.
    assert_eq!(entries.len(), 34);
    let stor = entries.iter().find(|e| e.name == "STOR").unwrap();
    assert_eq!(stor.preliminary, [125, 150]);
    assert_eq!(stor.after_preliminary, [226, 250, 425, 426, 451, 551, 552]);
    assert!(stor.restart_marker);
    assert_eq!(stor.failure, [532, 450, 452, 553, 500, 501, 421, 530]);
    let noop = entries.iter().find(|e| e.name == "NOOP").unwrap();
    assert_eq!(noop.failure, [500, 421]);
    let list = entries.iter().find(|e| e.name == "LIST").unwrap();
    assert!(!list.restart_marker);
}

#[test]
fn rfc2228_lists_match_the_crate() {
    let mut listed = check_document(RFC_2228, 2228);
    listed.extend(check_document(RFC_2228_CCC, 2228));
    let defined: BTreeSet<String> = Command::ALL
        .iter()
        .filter(|c| c.rfc() == Some(2228))
        .map(|c| c.as_str().to_owned())
        .collect();
    assert_eq!(listed, defined);
}

#[test]
fn later_documents_lists_match_the_crate() {
    for (block, rfc) in [
        (RFC_2389, 2389),
        (RFC_2428, 2428),
        (RFC_1639, 1639),
        (RFC_3659, 3659),
        (RFC_7151, 7151),
    ] {
        let listed = check_document(block, rfc);
        let defined: BTreeSet<String> = Command::ALL
            .iter()
            .filter(|c| c.rfc() == Some(rfc))
            .map(|c| c.as_str().to_owned())
            .collect();
        assert_eq!(listed, defined, "RFC {rfc}");
    }
}

#[test]
fn every_known_command_has_exactly_one_base_list() {
    let mut all = BTreeSet::new();
    for (block, rfc) in [
        (RFC_959, 959),
        (RFC_2228, 2228),
        (RFC_2228_CCC, 2228),
        (RFC_2389, 2389),
        (RFC_2428, 2428),
        (RFC_1639, 1639),
        (RFC_3659, 3659),
        (RFC_7151, 7151),
    ] {
        for name in check_document(block, rfc) {
            assert!(all.insert(name.clone()), "{name} has two base lists");
        }
    }
    let known: BTreeSet<String> = Command::ALL.iter().map(|c| c.as_str().to_owned()).collect();
    assert_eq!(all, known);
    for c in Command::ALL {
        assert!(c.expected().is_some(), "{c} has no table");
    }
}

/// The commands that continue a sequence after an intermediate reply. RFC 959
/// §5.4 does not print them; they are from RFC 959 §4.1.1 (331 asks for the
/// password, 332 for the account), §4.1.3 (RNFR "must be followed by a rename to
/// command"; REST "shall be immediately followed by the appropriate FTP service
/// command") and §6 (REST: "Where cmd is APPE, STOR, or RETR"), and RFC 2228 §3
/// (334 and 335 ask for ADAT; 336 for PASS).
#[test]
fn intermediate_replies_name_the_next_commands() {
    use Command::*;
    let sequences: &[(Command, u16, &[Command])] = &[
        (User, 331, &[Pass]),
        (User, 332, &[Acct]),
        (Pass, 332, &[Acct]),
        (Rest, 350, &[Retr, Stor, Appe]),
        (Rnfr, 350, &[Rnto]),
        (Auth, 334, &[Adat]),
        (Adat, 335, &[Adat]),
    ];
    for (cmd, code, next) in sequences {
        assert_eq!(
            cmd.expected().unwrap().next_commands(*code),
            Some(*next),
            "{cmd} {code}"
        );
    }
    let user_2228 = User.additions().iter().find(|a| a.rfc == 2228).unwrap();
    assert_eq!(user_2228.next_commands(336), Some(&[Pass][..]));

    // Every intermediate reply in the tables names at least one next command, and
    // every one is covered above.
    let mut count = 0;
    for c in Command::ALL {
        for e in c.expected().into_iter().chain(c.additions()) {
            for (code, next) in e.intermediate {
                assert!(!next.is_empty(), "{c} {code}");
                count += 1;
            }
        }
    }
    assert_eq!(count, sequences.len() + 1);
}

#[test]
fn transfers_and_envelopes() {
    let transfers: Vec<&str> = Command::ALL
        .iter()
        .filter(|c| c.transfers_data())
        .map(|c| c.as_str())
        .collect();
    assert_eq!(
        transfers,
        ["RETR", "STOR", "STOU", "APPE", "LIST", "NLST", "MLSD"]
    );
    let envelopes: Vec<&str> = Command::ALL
        .iter()
        .filter(|c| c.is_protection_envelope())
        .map(|c| c.as_str())
        .collect();
    assert_eq!(envelopes, ["MIC", "CONF", "ENC"]);
}

#[test]
fn verbs_round_trip_and_are_case_insensitive() {
    for c in Command::ALL {
        assert_eq!(Command::from_verb(c.as_str().as_bytes()), Ok(*c));
        let lower = c.as_str().to_ascii_lowercase();
        assert_eq!(Command::from_verb(lower.as_bytes()), Ok(*c));
        assert_eq!(c.to_string(), c.as_str());
        assert!(c.is_known());
    }
    assert_eq!(Command::ALL.len(), 52);
}

#[test]
fn command_lines_parse() {
    let p = Command::parse(b"RETR /pub/file.txt\r\n").unwrap();
    assert_eq!((p.verb, p.argument), (Command::Retr, &b"/pub/file.txt"[..]));

    let p = Command::parse(b"pWd").unwrap();
    assert_eq!((p.verb, p.argument), (Command::Pwd, &b""[..]));

    let p = Command::parse(b"NOOP\n").unwrap();
    assert_eq!(p.verb, Command::Noop);

    // The argument is everything after the first space, kept exactly.
    let p = Command::parse(b"STOR  two spaces \r\n").unwrap();
    assert_eq!(p.argument, b" two spaces ");

    // RFC 3659's stream-mode REST takes a byte offset; "REST STREAM" is the FEAT
    // line, and as a command line it is REST with the argument "STREAM".
    let p = Command::parse(b"REST 1048576\r\n").unwrap();
    assert_eq!((p.verb, p.argument), (Command::Rest, &b"1048576"[..]));
    let p = Command::parse(b"REST STREAM").unwrap();
    assert_eq!((p.verb, p.argument), (Command::Rest, &b"STREAM"[..]));

    let p = Command::parse(b"xsha256 file\r\n").unwrap();
    assert!(!p.verb.is_known());
    assert_eq!(p.verb.as_str(), "XSHA256");
    assert_eq!(p.verb.rfc(), None);
    assert!(p.verb.expected().is_none());
    assert!(matches!(p.verb, Command::Other(v) if v.as_bytes() == b"XSHA256"));
    assert_eq!(p.argument, b"file");
    assert_eq!(
        Command::parse(b"XCRC").unwrap().verb,
        Command::parse(b"xcrc").unwrap().verb
    );
}

#[test]
fn bad_command_lines_are_errors() {
    assert_eq!(Command::parse(b""), Err(CommandError::Empty));
    assert_eq!(Command::parse(b"\r\n"), Err(CommandError::Empty));
    assert_eq!(Command::parse(b" NOOP"), Err(CommandError::Empty));
    assert_eq!(
        Command::parse(b"ABCDEFGHI x"),
        Err(CommandError::VerbTooLong { len: 9 })
    );
    assert_eq!(
        Command::parse(b"RE-TR x"),
        Err(CommandError::InvalidVerbByte {
            offset: 2,
            byte: b'-'
        })
    );
    assert_eq!(
        Command::parse(b"RETR a\r\nDELE b\r\n"),
        Err(CommandError::LineEndInside { offset: 6 })
    );
    assert_eq!(
        Command::parse(b"RETR a\rb"),
        Err(CommandError::LineEndInside { offset: 6 })
    );
    // The longest verb kept inline.
    assert_eq!(
        Command::parse(b"ABCDEFGH").unwrap().verb.as_str(),
        "ABCDEFGH"
    );
}
