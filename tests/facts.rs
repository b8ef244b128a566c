//! MLST and MLSD entries (RFC 3659 §7): the RFC's own examples, lines real
//! servers sent, names that break naive parsers, malformed lines with their
//! offsets, and facts built, encoded and parsed back.

use ftp_reply::payload::{
    EntryType, Fact, Facts, PayloadError, PayloadKind, Reason, Timestamp, encode_facts,
    parse_facts, parse_mlsd, parse_mlst,
};
use ftp_reply::{Reply, ReplyCode};
use proptest::prelude::*;

#[track_caller]
fn facts(line: &[u8]) -> Facts<'_> {
    parse_facts(line).unwrap_or_else(|e| panic!("{}: {e}", line.escape_ascii()))
}

/// `(name, value)` of every fact, in order.
fn pairs<'a>(entry: &Facts<'a>) -> Vec<(&'a [u8], &'a [u8])> {
    entry.iter().map(|f| (f.name, f.value)).collect()
}

#[track_caller]
fn assert_fails<T: std::fmt::Debug>(
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
}

fn time(year: u16, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> Timestamp {
    Timestamp {
        year,
        month,
        day,
        hour,
        minute,
        second,
        nanos: 0,
    }
}

/// RFC 3659 §7.7.1 and §7.7.2: MLST replies.
#[test]
fn rfc3659_mlst_examples() {
    let lines: [&[u8]; 3] = [
        b"250- Listing cap60.pl198.tar.gz",
        b" Type=file;Size=1024990;Perm=r; /tmp/cap60.pl198.tar.gz",
        b"250 End",
    ];
    let entry = parse_mlst(lines).unwrap();
    assert_eq!(entry.pathname(), b"/tmp/cap60.pl198.tar.gz");
    assert_eq!(entry.entry_type(), Some(EntryType::File));
    assert_eq!(entry.size(), Some(1_024_990));
    assert_eq!(entry.perm().unwrap().as_bytes(), b"r");
    assert_eq!(entry.modify(), None);
    assert_eq!(entry.len(), 3);

    let lines: [&[u8]; 3] = [
        b"250- Listing tmp",
        b" Type=dir;Modify=19981107085215;Perm=el; /tmp",
        b"250 End",
    ];
    let entry = parse_mlst(lines).unwrap();
    assert_eq!(entry.pathname(), b"/tmp");
    assert_eq!(entry.entry_type(), Some(EntryType::Dir));
    assert_eq!(entry.modify(), Some(time(1998, 11, 7, 8, 52, 15)));
    let perm = entry.perm().unwrap();
    assert!(perm.can_enter() && perm.can_list() && !perm.can_retrieve());
    assert_eq!(entry.size(), None);

    // The same through a decoded reply.
    let reply = Reply::new(
        ReplyCode::FILE_ACTION_OK,
        &[
            " Listing tmp",
            " Type=dir;Modify=19981107085215;Perm=el; /tmp",
            "End",
        ],
    )
    .unwrap();
    assert_eq!(reply.mlst_facts(), Ok(entry));
}

/// RFC 3659 §7.7.3: `MLSD tmp`.
#[test]
fn rfc3659_mlsd_tmp() {
    type Row = (
        &'static [u8],
        EntryType<'static>,
        Option<u64>,
        Timestamp,
        &'static [u8],
        &'static [u8],
    );
    let rows: &[Row] = &[
        (
            b"Type=cdir;Modify=19981107085215;Perm=el; tmp",
            EntryType::CurrentDir,
            None,
            time(1998, 11, 7, 8, 52, 15),
            b"el",
            b"tmp",
        ),
        (
            b"Type=cdir;Modify=19981107085215;Perm=el; /tmp",
            EntryType::CurrentDir,
            None,
            time(1998, 11, 7, 8, 52, 15),
            b"el",
            b"/tmp",
        ),
        (
            b"Type=pdir;Modify=19990112030508;Perm=el; ..",
            EntryType::ParentDir,
            None,
            time(1999, 1, 12, 3, 5, 8),
            b"el",
            b"..",
        ),
        (
            b"Type=file;Size=25730;Modify=19940728095854;Perm=; capmux.tar.z",
            EntryType::File,
            Some(25_730),
            time(1994, 7, 28, 9, 58, 54),
            b"",
            b"capmux.tar.z",
        ),
        (
            b"Type=file;Size=1830;Modify=19940916055648;Perm=r; hatch.c",
            EntryType::File,
            Some(1_830),
            time(1994, 9, 16, 5, 56, 48),
            b"r",
            b"hatch.c",
        ),
        (
            b"Type=file;Size=25624;Modify=19951003165342;Perm=r; MacIP-02.txt",
            EntryType::File,
            Some(25_624),
            time(1995, 10, 3, 16, 53, 42),
            b"r",
            b"MacIP-02.txt",
        ),
        (
            b"Type=file;Size=2154;Modify=19950501105033;Perm=r; uar.netbsd.patch",
            EntryType::File,
            Some(2_154),
            time(1995, 5, 1, 10, 50, 33),
            b"r",
            b"uar.netbsd.patch",
        ),
        (
            b"Type=file;Size=54757;Modify=19951105101754;Perm=r; iptnnladev.1.0.sit.hqx",
            EntryType::File,
            Some(54_757),
            time(1995, 11, 5, 10, 17, 54),
            b"r",
            b"iptnnladev.1.0.sit.hqx",
        ),
        (
            b"Type=file;Size=226546;Modify=19970515023901;Perm=r; melbcs.tif",
            EntryType::File,
            Some(226_546),
            time(1997, 5, 15, 2, 39, 1),
            b"r",
            b"melbcs.tif",
        ),
        (
            b"Type=file;Size=1024990;Modify=19980130010322;Perm=r; cap60.pl198.tar.gz",
            EntryType::File,
            Some(1_024_990),
            time(1998, 1, 30, 1, 3, 22),
            b"r",
            b"cap60.pl198.tar.gz",
        ),
    ];
    let mut listing = Vec::new();
    for &(line, kind, size, modify, perm, name) in rows {
        let entry = facts(line);
        assert_eq!(entry.entry_type(), Some(kind), "{}", line.escape_ascii());
        assert_eq!(entry.size(), size, "{}", line.escape_ascii());
        assert_eq!(entry.modify(), Some(modify), "{}", line.escape_ascii());
        assert_eq!(entry.perm().unwrap().as_bytes(), perm);
        assert_eq!(entry.pathname(), name);
        listing.extend_from_slice(line);
        listing.extend_from_slice(b"\r\n");
    }
    let names: Vec<&[u8]> = parse_mlsd(&listing)
        .map(|e| e.unwrap().pathname())
        .collect();
    let want: Vec<&[u8]> = rows.iter().map(|r| r.5).collect();
    assert_eq!(names, want);
}

/// RFC 3659 §7.7.4: the more complex example, with OS types, a name of two
/// words and one with a leading space.
#[test]
fn rfc3659_mlsd_complex() {
    let os = |name: &'static [u8], kind: &'static [u8]| EntryType::Os { name, kind };
    /// Line, type, perm, unique, name.
    type Row = (
        &'static [u8],
        EntryType<'static>,
        &'static [u8],
        &'static [u8],
        &'static [u8],
    );
    let rows: &[Row] = &[
        (
            b"Type=cdir;Perm=el;Unique=keVO1+ZF4; test",
            EntryType::CurrentDir,
            b"el",
            b"keVO1+ZF4",
            b"test",
        ),
        (
            b"Type=pdir;Perm=e;Unique=keVO1+d?3; ..",
            EntryType::ParentDir,
            b"e",
            b"keVO1+d?3",
            b"..",
        ),
        (
            b"Type=OS.unix=slink:/foobar;Perm=;Unique=keVO1+4G4; foobar",
            os(b"unix", b"slink:/foobar"),
            b"",
            b"keVO1+4G4",
            b"foobar",
        ),
        (
            b"Type=OS.unix=chr-13/29;Perm=;Unique=keVO1+5G4; device",
            os(b"unix", b"chr-13/29"),
            b"",
            b"keVO1+5G4",
            b"device",
        ),
        (
            b"Type=OS.unix=blk-11/108;Perm=;Unique=keVO1+6G4; block",
            os(b"unix", b"blk-11/108"),
            b"",
            b"keVO1+6G4",
            b"block",
        ),
        (
            b"Type=file;Perm=awr;Unique=keVO1+8G4; writable",
            EntryType::File,
            b"awr",
            b"keVO1+8G4",
            b"writable",
        ),
        (
            b"Type=dir;Perm=cpmel;Unique=keVO1+7G4; promiscuous",
            EntryType::Dir,
            b"cpmel",
            b"keVO1+7G4",
            b"promiscuous",
        ),
        (
            b"Type=dir;Perm=;Unique=keVO1+1t2; no-exec",
            EntryType::Dir,
            b"",
            b"keVO1+1t2",
            b"no-exec",
        ),
        (
            b"Type=file;Perm=r;Unique=keVO1+EG4; two words",
            EntryType::File,
            b"r",
            b"keVO1+EG4",
            b"two words",
        ),
        (
            b"Type=file;Perm=r;Unique=keVO1+IH4;  leading space",
            EntryType::File,
            b"r",
            b"keVO1+IH4",
            b" leading space",
        ),
        (
            b"Type=file;Perm=r;Unique=keVO1+1G4; file1",
            EntryType::File,
            b"r",
            b"keVO1+1G4",
            b"file1",
        ),
        (
            b"Type=dir;Perm=cpmel;Unique=keVO1+7G4; incoming",
            EntryType::Dir,
            b"cpmel",
            b"keVO1+7G4",
            b"incoming",
        ),
    ];
    for &(line, kind, perm, unique, name) in rows {
        let entry = facts(line);
        assert_eq!(entry.entry_type(), Some(kind), "{}", line.escape_ascii());
        assert_eq!(entry.perm().unwrap().as_bytes(), perm);
        assert_eq!(entry.unique(), Some(unique));
        assert_eq!(entry.pathname(), name);
        // The raw value of an OS type is kept whole.
        if let EntryType::Os { .. } = kind {
            assert!(entry.get("type").unwrap().starts_with(b"OS.unix="));
        }
    }
    let writable = facts(rows[5].0).perm().unwrap();
    assert!(writable.can_append() && writable.can_write() && writable.can_retrieve());
    assert!(!writable.can_delete() && !writable.can_rename());
    let promiscuous = facts(rows[6].0).perm().unwrap();
    assert!(promiscuous.can_create_file() && promiscuous.can_purge() && promiscuous.can_make_dir());
}

/// RFC 3659 §7.7.5 (IANA files): a `cdir` given by its absolute pathname.
#[test]
fn rfc3659_iana_listing() {
    let listing = b"Type=cdir;Modify=19990219183438; /iana/assignments\r\n\
        Type=pdir;Modify=19990112030453; ..\r\n\
        Type=dir;Modify=19990219073522; media-types\r\n\
        Type=dir;Modify=19990112033515; character-set-info\r\n\
        Type=dir;Modify=19990112033529; languages\r\n\
        Type=file;Size=44242;Modify=19990217230400; character-sets\r\n\
        Type=file;Size=1947;Modify=19990209215600; operating-system-names\r\n";
    let entries: Vec<Facts<'_>> = parse_mlsd(listing).map(Result::unwrap).collect();
    assert_eq!(entries.len(), 7);
    assert_eq!(entries[0].pathname(), b"/iana/assignments");
    assert!(
        entries
            .iter()
            .take(5)
            .all(|e| e.entry_type().unwrap().is_dir())
    );
    assert_eq!(entries[5].size(), Some(44_242));
    assert_eq!(entries[6].modify(), Some(time(1999, 2, 9, 21, 56, 0)));
}

/// Lines ProFTPD 1.3.8, Pure-FTPd 1.0.50, pyftpdlib 2.2.0 and aioftp 0.28.3 sent (on
/// 127.0.0.1, from `scripts/ftp-servers.sh`) for a directory holding
/// `semi;colon`, `eq=sign`, `two  spaces`, ` leading`, `quote"d`,
/// `a=b;c=d; e` and `latin1-\xe9`.
#[test]
fn real_server_lines() {
    // ProFTPD: lower-case names, UNIX.* facts, perm; MLSD lines end in CRLF.
    let proftpd = b"modify=20261201134512;perm=flcdmpe;type=cdir;unique=FE00U51A033;UNIX.group=1001;UNIX.groupname=ftptest;UNIX.mode=0755;UNIX.owner=1001;UNIX.ownername=ftptest; .\r\n\
modify=20261201134512;perm=adfrw;size=0;type=file;unique=FE00U51A03A;UNIX.group=1001;UNIX.groupname=ftptest;UNIX.mode=0644;UNIX.owner=1001;UNIX.ownername=ftptest; a=b;c=d; e\r\n\
modify=20261201134512;perm=adfrw;size=0;type=file;unique=FE00U51A035;UNIX.group=1001;UNIX.groupname=ftptest;UNIX.mode=0644;UNIX.owner=1001;UNIX.ownername=ftptest; eq=sign\r\n\
modify=20261201134512;perm=adfrw;size=0;type=file;unique=FE00U51A038;UNIX.group=1001;UNIX.groupname=ftptest;UNIX.mode=0644;UNIX.owner=1001;UNIX.ownername=ftptest; quote\"d\r\n\
modify=20261201134512;perm=flcdmpe;type=pdir;unique=FE00U51A01E;UNIX.group=1001;UNIX.groupname=ftptest;UNIX.mode=0755;UNIX.owner=1001;UNIX.ownername=ftptest; ..\r\n\
modify=20261201134512;perm=adfrw;size=0;type=file;unique=FE00U51A039;UNIX.group=1001;UNIX.groupname=ftptest;UNIX.mode=0644;UNIX.owner=1001;UNIX.ownername=ftptest; latin1-\xe9\r\n\
modify=20261201134512;perm=adfrw;size=0;type=file;unique=FE00U51A036;UNIX.group=1001;UNIX.groupname=ftptest;UNIX.mode=0644;UNIX.owner=1001;UNIX.ownername=ftptest; two  spaces\r\n\
modify=20261201134512;perm=adfrw;size=0;type=file;unique=FE00U51A037;UNIX.group=1001;UNIX.groupname=ftptest;UNIX.mode=0644;UNIX.owner=1001;UNIX.ownername=ftptest;  leading\r\n\
modify=20261201134512;perm=adfrw;size=0;type=file;unique=FE00U51A034;UNIX.group=1001;UNIX.groupname=ftptest;UNIX.mode=0644;UNIX.owner=1001;UNIX.ownername=ftptest; semi;colon\r\n";
    let names: Vec<&[u8]> = parse_mlsd(proftpd).map(|e| e.unwrap().pathname()).collect();
    let want: [&[u8]; 9] = [
        b".",
        b"a=b;c=d; e",
        b"eq=sign",
        b"quote\"d",
        b"..",
        b"latin1-\xe9",
        b"two  spaces",
        b" leading",
        b"semi;colon",
    ];
    assert_eq!(names, want);
    let semi = parse_mlsd(proftpd).nth(8).unwrap().unwrap();
    assert_eq!(semi.len(), 10);
    assert_eq!(semi.get("unix.MODE"), Some(&b"0644"[..]));
    assert_eq!(semi.get("UNIX.ownername"), Some(&b"ftptest"[..]));
    assert_eq!(semi.modify(), Some(time(2026, 12, 1, 13, 45, 12)));
    assert_eq!(semi.size(), Some(0));
    let unix: Vec<&[u8]> = semi
        .iter()
        .filter(|f| f.name.starts_with(b"UNIX."))
        .map(|f| f.name)
        .collect();
    assert_eq!(
        unix,
        [
            &b"UNIX.group"[..],
            b"UNIX.groupname",
            b"UNIX.mode",
            b"UNIX.owner",
            b"UNIX.ownername"
        ]
    );

    // Pure-FTPd: `sizd` (a directory's size, not an RFC fact) kept as an
    // unknown fact; no perm.
    let pure = facts(b"type=cdir;sizd=4096;modify=20261201134512;UNIX.mode=0755;UNIX.uid=1001;UNIX.gid=1001;unique=fe00g51a03b; .");
    assert_eq!(pure.entry_type(), Some(EntryType::CurrentDir));
    assert_eq!(pure.size(), None);
    assert_eq!(pure.get("sizd"), Some(&b"4096"[..]));
    assert_eq!(pure.perm(), None);
    let pure = facts(b"type=file;size=0;modify=20261201134512;UNIX.mode=0644;UNIX.uid=1001;UNIX.gid=1001;unique=fe00g51a03c; semi;colon");
    assert_eq!(pure.pathname(), b"semi;colon");
    assert_eq!(pure.get("UNIX.uid"), Some(&b"1001"[..]));

    // pyftpdlib: perm letters of its own (`M`, `T`) beside the RFC's.
    let py = facts(
        b"modify=20240102030405;perm=eldfmMTcp;size=4096;type=dir;unique=fe00g51a02e; nested",
    );
    let perm = py.perm().unwrap();
    assert_eq!(perm.as_bytes(), b"eldfmMTcp");
    assert!(perm.has(b'M') && perm.has(b't') && perm.can_make_dir() && !perm.can_write());
    assert_eq!(py.size(), Some(4096));

    // aioftp 0.28.3: capitalised fact names, `Create` (the file's ctime), no
    // cdir or pdir entries.
    let aioftp = b"Size=0;Create=20261201141135;Modify=20261201141135;Type=file; a=b;c=d; e\r\n\
Size=0;Create=20261201141135;Modify=20261201141135;Type=file;  leading\r\n\
Size=4096;Create=20261201140528;Modify=20240102030405;Type=dir; nested\r\n";
    let entries: Vec<Facts<'_>> = parse_mlsd(aioftp).map(Result::unwrap).collect();
    let names: Vec<&[u8]> = entries.iter().map(|e| e.pathname()).collect();
    assert_eq!(names, [&b"a=b;c=d; e"[..], b" leading", b"nested"]);
    assert_eq!(entries[0].create(), Some(time(2026, 12, 1, 14, 11, 35)));
    assert_eq!(entries[2].entry_type(), Some(EntryType::Dir));
    assert_eq!(entries[2].size(), Some(4096));

    // MLST replies: ProFTPD, pyftpdlib give the absolute path, Pure-FTPd and
    // aioftp the name as asked.
    /// The reply's lines, the pathname, the number of facts.
    type Case = (&'static [&'static [u8]], &'static [u8], usize);
    let cases: [Case; 4] = [
        (
            &[
                b"250-Start of list for hello.txt",
                b" modify=20240102030405;perm=adfrw;size=8192;type=file;unique=FE00U51A024;UNIX.group=1001;UNIX.groupname=ftptest;UNIX.mode=0644;UNIX.owner=1001;UNIX.ownername=ftptest; /hello.txt",
                b"250 End of list",
            ],
            b"/hello.txt",
            10,
        ),
        (
            &[
                b"250-Begin",
                b" type=file;size=8192;modify=20240102030405;UNIX.mode=0644;UNIX.uid=1001;UNIX.gid=1001;unique=fe00g51a02b; hello.txt",
                b"250 End.",
            ],
            b"hello.txt",
            7,
        ),
        (
            &[
                b"250-Listing \"/hello.txt\":",
                b" modify=20240102030405;perm=radfwMT;size=8192;type=file;unique=fe00g51a032; /hello.txt",
                b"250 End MLST.",
            ],
            b"/hello.txt",
            5,
        ),
        (
            &[
                b"250-start",
                b" Size=8192;Create=20261201140528;Modify=20240102030405;Type=file; hello.txt",
                b"250 end",
            ],
            b"hello.txt",
            4,
        ),
    ];
    for (lines, path, count) in cases {
        let entry = parse_mlst(lines.iter().copied()).unwrap();
        assert_eq!(entry.pathname(), path);
        assert_eq!(entry.len(), count);
        assert_eq!(entry.size(), Some(8192));
        assert_eq!(entry.modify(), Some(time(2024, 1, 2, 3, 4, 5)));
        assert_eq!(entry.entry_type(), Some(EntryType::File));
    }
}

/// What suppaftp's parser gets wrong: names cut at `;`, values holding `=`.
#[test]
fn names_and_values_that_hold_delimiters() {
    let cases: &[(&[u8], &[u8])] = &[
        (b"type=file; semi;colon", b"semi;colon"),
        (b"type=file; eq=sign", b"eq=sign"),
        (b"type=file; a=b;c=d; e", b"a=b;c=d; e"),
        (
            b"type=file;  two leading  spaces ",
            b" two leading  spaces ",
        ),
        (b"type=file; \"quoted\" 'too'", b"\"quoted\" 'too'"),
        (
            b"type=file; \xff\xfe not UTF-8 \xe9",
            b"\xff\xfe not UTF-8 \xe9",
        ),
        (b"type=file; \t\x00\x7f", b"\t\x00\x7f"),
        (b" only a name", b"only a name"),
        (b"  ", b" "),
    ];
    for &(line, name) in cases {
        assert_eq!(facts(line).pathname(), name, "{}", line.escape_ascii());
    }
    // A value may hold `=` (an OS type does), and may be empty.
    let entry = facts(b"type=OS.unix=slink:/a=b;X.odd==;perm=; x");
    assert_eq!(
        pairs(&entry),
        [
            (&b"type"[..], &b"OS.unix=slink:/a=b"[..]),
            (b"X.odd", b"="),
            (b"perm", b""),
        ]
    );
    assert_eq!(
        entry.entry_type(),
        Some(EntryType::Os {
            name: b"unix",
            kind: b"slink:/a=b"
        })
    );
}

#[test]
fn fact_names_ignore_case() {
    let entry = facts(b"TYPE=DIR;SiZe=12;MODIFY=20240229000000.5;Perm=El;Media-Type=text/plain;CHARSET=koi8-r;Lang=ru;UNIQUE=u1;create=19700101000000; x");
    assert_eq!(entry.entry_type(), Some(EntryType::Dir));
    assert_eq!(entry.size(), Some(12));
    let modify = entry.modify().unwrap();
    assert_eq!(
        (modify.month, modify.day, modify.nanos),
        (2, 29, 500_000_000)
    );
    assert_eq!(entry.create().unwrap().unix_seconds(), 0);
    assert!(entry.perm().unwrap().can_enter());
    assert_eq!(entry.media_type(), Some(&b"text/plain"[..]));
    assert_eq!(entry.charset(), Some(&b"koi8-r"[..]));
    assert_eq!(entry.lang(), Some(&b"ru"[..]));
    assert_eq!(entry.unique(), Some(&b"u1"[..]));
    assert!(entry.iter().next().unwrap().is("type"));
    // Type values are read ignoring case too; unknown ones are kept.
    for (value, kind) in [
        (&b"File"[..], EntryType::File),
        (b"CDIR", EntryType::CurrentDir),
        (
            b"os.Win=shortcut",
            EntryType::Os {
                name: b"Win",
                kind: b"shortcut",
            },
        ),
        (b"OS.=x", EntryType::Other(b"OS.=x")),
        (b"OS.unix", EntryType::Other(b"OS.unix")),
        (b"symlink", EntryType::Other(b"symlink")),
        (b"", EntryType::Other(b"")),
    ] {
        assert_eq!(
            EntryType::from_value(value),
            kind,
            "{}",
            value.escape_ascii()
        );
    }
}

#[test]
fn malformed_lines_fail_at_the_offending_byte() {
    let k = PayloadKind::Facts;
    let cases: &[(&[u8], Reason, usize)] = &[
        (
            b"",
            Reason::Unterminated("facts (no space before the pathname)"),
            0,
        ),
        (
            b"type=file;",
            Reason::Unterminated("facts (no space before the pathname)"),
            10,
        ),
        (b"name", Reason::Unterminated("fact (no '=')"), 4),
        (b"type=file", Reason::Unterminated("fact (no ';')"), 9),
        (b"type=file name", Reason::ExpectedByte(b';'), 9),
        (b"type;x; name", Reason::ExpectedByte(b'='), 4),
        (b"type=file;=x; name", Reason::Empty("fact name"), 10),
        (b";x=y; name", Reason::Empty("fact name"), 0),
        (b"type=file; ", Reason::Empty("pathname"), 11),
        (
            b"type=file; a\rb",
            Reason::Forbidden {
                byte: b'\r',
                what: "a pathname",
            },
            12,
        ),
        (
            b"type=file; a\n",
            Reason::Forbidden {
                byte: b'\n',
                what: "a pathname",
            },
            12,
        ),
        (
            b"ty\rpe=file; a",
            Reason::Forbidden {
                byte: b'\r',
                what: "a fact name",
            },
            2,
        ),
        (
            b"type=fi\nle; a",
            Reason::Forbidden {
                byte: b'\n',
                what: "a fact value",
            },
            7,
        ),
        (
            b"size=12x; a",
            Reason::Expected("only digits in the size"),
            7,
        ),
        (b"size=; a", Reason::Expected("a size (digits)"), 5),
        (b"size=-1; a", Reason::Sign, 5),
        (
            b"type=file;size=18446744073709551616; a",
            Reason::OutOfRange {
                what: "size",
                min: 0,
                max: u64::MAX,
            },
            15,
        ),
        (
            b"modify=2024010203040; a",
            Reason::Expected("a 2-digit second"),
            19,
        ),
        (
            b"modify=20230229000000; a",
            Reason::OutOfRange {
                what: "day",
                min: 1,
                max: 28,
            },
            13,
        ),
        (
            b"create=20240102030405.; a",
            Reason::Expected("digits after '.'"),
            22,
        ),
        (
            b"modify=20240102030405Z; a",
            Reason::Expected("the end of the text or '.'"),
            21,
        ),
        (
            b"type=file;Type=dir; a",
            Reason::Duplicate("standard fact"),
            10,
        ),
        (
            b"size=1;x=y;SIZE=1; a",
            Reason::Duplicate("standard fact"),
            11,
        ),
    ];
    for &(line, reason, offset) in cases {
        assert_fails(parse_facts(line), k, reason, 0, offset);
        let err = parse_facts(line).unwrap_err();
        assert!(err.offset <= line.len(), "{}", line.escape_ascii());
    }
    // Unknown facts may repeat; only the standard ones are checked.
    assert_eq!(facts(b"x=1;X=2;sizd=a; n").len(), 3);
    // The error names the payload, the reason and the byte.
    let err = parse_facts(b"type=file name").unwrap_err();
    assert_eq!(err.to_string(), "facts payload: expected ';' at byte 9");
}

#[test]
fn mlsd_listing_reports_each_bad_line_and_goes_on() {
    let listing = b"type=file; a\r\nno space\r\n\r\ntype=dir; b\nsize=x; c";
    type Item<'a> = Result<&'a [u8], (usize, usize, Reason)>;
    let items: Vec<Item<'_>> = parse_mlsd(listing)
        .map(|r| {
            r.map(|e| e.pathname())
                .map_err(|e| (e.line, e.offset, e.reason))
        })
        .collect();
    assert_eq!(
        items,
        [
            Ok(&b"a"[..]),
            Err((1, 2, Reason::ExpectedByte(b'='))),
            Err((
                2,
                0,
                Reason::Unterminated("facts (no space before the pathname)")
            )),
            Ok(b"b"),
            Err((4, 5, Reason::Expected("a size (digits)"))),
        ]
    );
    let err = parse_mlsd(b"type=file; a\r\nno space")
        .nth(1)
        .unwrap()
        .unwrap_err();
    assert_eq!(err.payload, PayloadKind::Mlsd);
    assert_eq!(
        err.to_string(),
        "mlsd payload: expected '=' at byte 2 of line 2"
    );
    assert_eq!(parse_mlsd(b"").count(), 0);
    // Only LF ends a line (with one CR before it dropped): a last line
    // without its LF keeps its CR, which a pathname cannot hold.
    let cut = parse_mlsd(b"type=file; a\r\ntype=file; p\r")
        .nth(1)
        .unwrap();
    assert_eq!(
        cut.map_err(|e| (e.line, e.offset, e.reason)),
        Err((
            1,
            12,
            Reason::Forbidden {
                byte: b'\r',
                what: "a pathname"
            }
        ))
    );
    assert_eq!(parse_mlsd(b"type=file; a\r\n").count(), 1);
}

#[test]
fn mlst_reply_shape() {
    let k = PayloadKind::Mlst;
    let entry: &[u8] = b" type=file; a";
    let mlst = |lines: &[&'static [u8]]| parse_mlst(lines.to_vec());
    assert_eq!(mlst(&[b"250-x", entry, b"250"]).unwrap().pathname(), b"a");
    assert_eq!(
        mlst(&[b"250-", entry, b"250 End."]).unwrap().pathname(),
        b"a"
    );
    // Two spaces: an entry without facts.
    assert_eq!(
        mlst(&[b"250-x", b"  a b", b"250 x"]).unwrap().pathname(),
        b"a b"
    );
    assert_fails(mlst(&[]), k, Reason::Expected("reply code 250"), 0, 0);
    assert_fails(
        mlst(&[b"550 No such file"]),
        k,
        Reason::Expected("reply code 250"),
        0,
        0,
    );
    assert_fails(
        mlst(&[b"250 type=file; a"]),
        k,
        Reason::Expected("a multi-line 250 reply (\"250-\")"),
        0,
        3,
    );
    assert_fails(
        mlst(&[b"250-x", b"250 End"]),
        k,
        Reason::Expected("an entry line before the final line"),
        1,
        0,
    );
    assert_fails(
        mlst(&[b"250-x", entry, entry, b"250 End"]),
        k,
        Reason::Duplicate("entry line"),
        2,
        0,
    );
    assert_fails(
        mlst(&[b"250-x", b"type=file; a", b"250 End"]),
        k,
        Reason::Expected("' ' (the entry line) or the final 250 line"),
        1,
        0,
    );
    assert_fails(
        mlst(&[b"250-x", entry, b"250-more", b"250 End"]),
        k,
        Reason::Expected("' ' (the entry line) or the final 250 line"),
        2,
        0,
    );
    assert_fails(
        mlst(&[b"250-x", entry]),
        k,
        Reason::Unterminated("MLST reply (no final \"250 \" line)"),
        2,
        0,
    );
    assert_fails(
        mlst(&[b"250-x", entry, b"250 End", b" x"]),
        k,
        Reason::AfterFinalLine,
        3,
        0,
    );
    // Offsets in the entry line count its leading space.
    assert_fails(
        mlst(&[b"250-x", b" type=file name", b"250 End"]),
        k,
        Reason::ExpectedByte(b';'),
        1,
        10,
    );
    let err = mlst(&[b"250-x", b" type=file name", b"250 End"]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "mlst payload: expected ';' at byte 10 of line 2"
    );
    // Through Reply: the raw lines, code prefixes and all.
    let reply = Reply::new(ReplyCode::FILE_ACTION_OK, &["x", " size=1; a b", "End"]).unwrap();
    assert_eq!(reply.mlst_facts().unwrap().pathname(), b"a b");
    let single = Reply::new(ReplyCode::FILE_ACTION_OK, &["Okay"]).unwrap();
    assert!(single.mlst_facts().is_err());
}

#[test]
fn encode_refuses_what_cannot_round_trip() {
    let k = PayloadKind::Facts;
    let f = Fact::new;
    assert_eq!(
        encode_facts([f(b"type", b"file"), f(b"UNIX.mode", b"0644")], b" x;y=z").unwrap(),
        b"type=file;UNIX.mode=0644;  x;y=z"
    );
    assert_eq!(encode_facts([], b"name").unwrap(), b" name");
    let cases: Vec<(Vec<Fact<'static>>, &[u8], Reason, usize)> = vec![
        (vec![f(b"", b"x")], b"n", Reason::Empty("fact name"), 0),
        (
            vec![f(b"a=b", b"x")],
            b"n",
            Reason::Forbidden {
                byte: b'=',
                what: "a fact name",
            },
            1,
        ),
        (
            vec![f(b"a", b"x"), f(b"b;c", b"x")],
            b"n",
            Reason::Forbidden {
                byte: b';',
                what: "a fact name",
            },
            5,
        ),
        (
            vec![f(b"a b", b"x")],
            b"n",
            Reason::Forbidden {
                byte: b' ',
                what: "a fact name",
            },
            1,
        ),
        (
            vec![f(b"a", b"x;y")],
            b"n",
            Reason::Forbidden {
                byte: b';',
                what: "a fact value",
            },
            3,
        ),
        (
            vec![f(b"a", b"x y")],
            b"n",
            Reason::Forbidden {
                byte: b' ',
                what: "a fact value",
            },
            3,
        ),
        (
            vec![f(b"a", b"\r")],
            b"n",
            Reason::Forbidden {
                byte: b'\r',
                what: "a fact value",
            },
            2,
        ),
        (vec![f(b"a", b"x")], b"", Reason::Empty("pathname"), 5),
        (
            vec![f(b"a", b"x")],
            b"n\n",
            Reason::Forbidden {
                byte: b'\n',
                what: "a pathname",
            },
            6,
        ),
        (
            vec![f(b"size", b"1"), f(b"Size", b"1")],
            b"n",
            Reason::Duplicate("standard fact"),
            7,
        ),
        (
            vec![f(b"size", b"1k")],
            b"n",
            Reason::Expected("only digits in the size"),
            6,
        ),
        (
            vec![f(b"modify", b"2024")],
            b"n",
            Reason::Expected("a 2-digit month"),
            11,
        ),
    ];
    for (facts, path, reason, offset) in cases {
        assert_fails(
            encode_facts(facts.iter().copied(), path),
            k,
            reason,
            0,
            offset,
        );
    }
}

/// A fact name the parser reads back: no `=`, `;`, space, CR or LF.
fn name() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::sample::select(vec![
            "type",
            "Size",
            "modify",
            "CREATE",
            "perm",
            "unique",
            "lang",
            "media-type",
            "charset",
            "UNIX.mode",
            "UNIX.owner",
            "sizd",
            "X.local",
            "OS.unix.x",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
        prop::collection::vec(
            any::<u8>().prop_filter("a delimiter", |b| !b"=; \r\n".contains(b)),
            1..12
        ),
    ]
}

/// A value for the fact `name` that parses back: valid for the checked ones.
fn value_for(name: &[u8]) -> BoxedStrategy<Vec<u8>> {
    let free = prop::collection::vec(
        any::<u8>().prop_filter("a delimiter", |b| !b"; \r\n".contains(b)),
        0..16,
    );
    if name.eq_ignore_ascii_case(b"size") {
        any::<u64>()
            .prop_map(|n| n.to_string().into_bytes())
            .boxed()
    } else if name.eq_ignore_ascii_case(b"modify") || name.eq_ignore_ascii_case(b"create") {
        (
            1000u16..=9999,
            1u8..=12,
            1u8..=28,
            0u8..24,
            0u8..60,
            0u8..=60,
            prop::option::of("[0-9]{1,12}"),
        )
            .prop_map(|(y, mo, d, h, mi, s, frac)| {
                let mut v = format!("{y:04}{mo:02}{d:02}{h:02}{mi:02}{s:02}");
                if let Some(frac) = frac {
                    v.push('.');
                    v.push_str(&frac);
                }
                v.into_bytes()
            })
            .boxed()
    } else {
        free.boxed()
    }
}

fn fact_list() -> impl Strategy<Value = Vec<(Vec<u8>, Vec<u8>)>> {
    prop::collection::vec(
        name().prop_flat_map(|n| (Just(n.clone()), value_for(&n))),
        0..12,
    )
    .prop_map(|mut facts| {
        // Each standard fact once: keep the first.
        let standard = [
            "type",
            "size",
            "modify",
            "create",
            "perm",
            "unique",
            "lang",
            "media-type",
            "charset",
        ];
        let mut seen = Vec::new();
        facts.retain(|(n, _)| {
            let Some(i) = standard
                .iter()
                .position(|s| n.eq_ignore_ascii_case(s.as_bytes()))
            else {
                return true;
            };
            let first = !seen.contains(&i);
            seen.push(i);
            first
        });
        facts
    })
}

fn pathname() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        any::<u8>().prop_filter("CR or LF", |b| !b"\r\n".contains(b)),
        1..40,
    )
}

proptest! {
    /// Facts built, encoded and parsed back are the same facts and pathname.
    #[test]
    fn facts_round_trip(facts in fact_list(), path in pathname()) {
        let built: Vec<Fact<'_>> = facts.iter().map(|(n, v)| Fact::new(n, v)).collect();
        let line = encode_facts(built.iter().copied(), &path).unwrap();
        let entry = parse_facts(&line).unwrap();
        prop_assert_eq!(entry.iter().collect::<Vec<_>>(), built.clone());
        prop_assert_eq!(entry.pathname(), &path[..]);
        prop_assert_eq!(entry.len(), built.len());
        // The MLST form: one more space in front, between the 250 lines.
        let mut mlst_line = b" ".to_vec();
        mlst_line.extend_from_slice(&line);
        let reply: [&[u8]; 3] = [b"250-Listing", &mlst_line, b"250 End"];
        prop_assert_eq!(parse_mlst(reply).unwrap(), entry);
        // Typed accessors agree with the raw values.
        if let Some(size) = entry.get("size") {
            let digits = std::str::from_utf8(size).unwrap();
            prop_assert_eq!(entry.size(), Some(digits.parse::<u64>().unwrap()));
        }
        if entry.get("modify").is_some() {
            prop_assert!(entry.modify().is_some());
        }
    }

    /// Whatever the input, encoding succeeds exactly when parsing the line
    /// gives the input back.
    #[test]
    fn encode_succeeds_only_for_what_round_trips(
        facts in prop::collection::vec((prop::collection::vec(any::<u8>(), 0..6), prop::collection::vec(any::<u8>(), 0..6)), 0..4),
        path in prop::collection::vec(any::<u8>(), 0..8),
    ) {
        let built: Vec<Fact<'_>> = facts.iter().map(|(n, v)| Fact::new(n, v)).collect();
        match encode_facts(built.iter().copied(), &path) {
            Ok(line) => {
                let entry = parse_facts(&line).unwrap();
                prop_assert_eq!(entry.iter().collect::<Vec<_>>(), built);
                prop_assert_eq!(entry.pathname(), &path[..]);
            }
            Err(e) => {
                // The line built naively either fails to parse or parses to
                // something else.
                let mut line = Vec::new();
                for f in &built {
                    line.extend_from_slice(f.name);
                    line.push(b'=');
                    line.extend_from_slice(f.value);
                    line.push(b';');
                }
                line.push(b' ');
                line.extend_from_slice(&path);
                prop_assert!(e.offset <= line.len());
                if let Ok(entry) = parse_facts(&line) {
                    prop_assert!(
                        entry.iter().collect::<Vec<_>>() != built || entry.pathname() != &path[..],
                        "refused {:?} although it round-trips", e
                    );
                }
            }
        }
    }

    /// No input panics, and an error's offset is inside the line.
    #[test]
    fn arbitrary_lines_never_panic(line in prop::collection::vec(any::<u8>(), 0..64)) {
        match parse_facts(&line) {
            Ok(entry) => {
                prop_assert!(!entry.pathname().is_empty());
                prop_assert_eq!(entry.iter().count(), entry.len());
            }
            Err(e) => prop_assert!(e.offset <= line.len()),
        }
    }
}
