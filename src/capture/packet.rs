//! One captured frame down to its TCP segment: the link layers a capture may use,
//! IPv4 and IPv6 (with extension headers, through `etherparse`), and TCP.

use std::net::{IpAddr, SocketAddr};

use etherparse::{LaxIpSlice, TcpHeaderSlice};

/// Link-layer header types (the pcap `LINKTYPE_*` values) this module reads.
pub(crate) mod linktype {
    /// BSD loopback: a 4-byte address family in the capturing host's byte order.
    pub const NULL: i32 = 0;
    /// Ethernet II, with 802.1Q / 802.1ad VLAN tags.
    pub const ETHERNET: i32 = 1;
    /// Raw IP on some BSDs (DLT_RAW as 12 or 14).
    pub const RAW_BSD_12: i32 = 12;
    /// Raw IP (DLT_RAW as 14 on OpenBSD).
    pub const RAW_BSD_14: i32 = 14;
    /// Raw IP.
    pub const RAW: i32 = 101;
    /// OpenBSD loopback: the address family in network byte order.
    pub const LOOP: i32 = 108;
    /// Linux cooked capture v1 (`tcpdump -i any`).
    pub const LINUX_SLL: i32 = 113;
    /// Raw IPv4.
    pub const IPV4: i32 = 228;
    /// Raw IPv6.
    pub const IPV6: i32 = 229;
    /// Linux cooked capture v2.
    pub const LINUX_SLL2: i32 = 276;
}

/// The most VLAN tags read before giving up on a frame.
const MAX_VLAN_TAGS: usize = 4;

/// A TCP segment as captured.
#[derive(Debug, Clone)]
pub(crate) struct Segment<'a> {
    pub src: SocketAddr,
    pub dst: SocketAddr,
    pub seq: u32,
    /// The acknowledgment number, when the ACK flag is set.
    pub ack: Option<u32>,
    pub syn: bool,
    pub fin: bool,
    pub rst: bool,
    /// The payload bytes the capture holds.
    pub payload: &'a [u8],
    /// Payload bytes the packet carried but the capture did not keep (snaplen).
    pub missing: u32,
}

/// What a frame turned out to be.
#[derive(Debug)]
pub(crate) enum Decoded<'a> {
    Tcp(Segment<'a>),
    /// Not IPv4 or IPv6 (ARP, LLDP, …), or a link type this module does not read.
    NotIp,
    /// IP but not TCP (UDP, ICMP, …), or a fragment.
    NotTcp,
    /// Headers cut short or inconsistent (an Ethernet, VLAN, cooked or loopback
    /// header, the IP header or the TCP header).
    Malformed,
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?]))
}

/// The IP packet inside a frame of link type `linktype`, or why there is none.
fn ip_of(linktype: i32, data: &[u8]) -> Result<&[u8], Decoded<'static>> {
    let by_ethertype = |ethertype: u16, rest| match ethertype {
        0x0800 | 0x86DD => Ok(rest),
        _ => Err(Decoded::NotIp),
    };
    match linktype {
        linktype::ETHERNET => {
            let mut ethertype = be16(data, 12).ok_or(Decoded::Malformed)?;
            let mut at = 14;
            for _ in 0..MAX_VLAN_TAGS {
                if !matches!(ethertype, 0x8100 | 0x88A8 | 0x9100) {
                    break;
                }
                ethertype = be16(data, at + 2).ok_or(Decoded::Malformed)?;
                at += 4;
            }
            by_ethertype(ethertype, data.get(at..).unwrap_or_default())
        }
        linktype::LINUX_SLL => {
            let proto = be16(data, 14).ok_or(Decoded::Malformed)?;
            by_ethertype(proto, data.get(16..).unwrap_or_default())
        }
        linktype::LINUX_SLL2 => {
            let proto = be16(data, 0).ok_or(Decoded::Malformed)?;
            by_ethertype(proto, data.get(20..).unwrap_or_default())
        }
        linktype::RAW
        | linktype::RAW_BSD_12
        | linktype::RAW_BSD_14
        | linktype::IPV4
        | linktype::IPV6 => Ok(data),
        linktype::NULL | linktype::LOOP => {
            let family: [u8; 4] = data
                .get(..4)
                .and_then(|b| b.try_into().ok())
                .ok_or(Decoded::Malformed)?;
            // The family is in the capturing host's byte order for NULL; read
            // whichever order gives a small number.
            let le = u32::from_le_bytes(family);
            let family = if le < 0x1_0000 {
                le
            } else {
                u32::from_be_bytes(family)
            };
            match family {
                // AF_INET; AF_INET6 on the BSDs (24, 28, 30) and Linux (10).
                2 | 10 | 24 | 28 | 30 => Ok(&data[4..]),
                _ => Err(Decoded::NotIp),
            }
        }
        _ => Err(Decoded::NotIp),
    }
}

/// Decodes one frame.
pub(crate) fn decode(linktype: i32, data: &[u8]) -> Decoded<'_> {
    let ip = match ip_of(linktype, data) {
        Ok(ip) => ip,
        Err(d) => return d,
    };
    let (slice, _ext_error) = match LaxIpSlice::from_slice(ip) {
        Ok(s) => s,
        Err(_) => return Decoded::Malformed,
    };
    let payload = slice.payload();
    if payload.ip_number != etherparse::IpNumber::TCP {
        return Decoded::NotTcp;
    }
    if payload.fragmented {
        return Decoded::NotTcp;
    }
    // The IP payload's length as the header declares it, to tell a packet the
    // capture cut short (snaplen) from one that was short.
    let declared = match &slice {
        LaxIpSlice::Ipv4(v4) => {
            let h = v4.header();
            let auth = v4.extensions().auth.map_or(0, |a| a.slice().len());
            let header_len = usize::from(h.ihl()) * 4 + auth;
            usize::from(h.total_len()).saturating_sub(header_len)
        }
        LaxIpSlice::Ipv6(v6) => {
            usize::from(v6.header().payload_length()).saturating_sub(v6.extensions().slice().len())
        }
    };
    let bytes = payload.payload;
    let Ok(tcp) = TcpHeaderSlice::from_slice(bytes) else {
        return Decoded::Malformed;
    };
    let header_len = tcp.slice().len();
    let captured = &bytes[header_len..];
    let declared_payload = declared.saturating_sub(header_len);
    let missing = if payload.incomplete {
        declared_payload.saturating_sub(captured.len())
    } else {
        0
    };
    let (src_ip, dst_ip): (IpAddr, IpAddr) = (slice.source_addr(), slice.destination_addr());
    Decoded::Tcp(Segment {
        src: SocketAddr::new(src_ip, tcp.source_port()),
        dst: SocketAddr::new(dst_ip, tcp.destination_port()),
        seq: tcp.sequence_number(),
        ack: tcp.ack().then(|| tcp.acknowledgment_number()),
        syn: tcp.syn(),
        fin: tcp.fin(),
        rst: tcp.rst(),
        payload: captured,
        missing: u32::try_from(missing).unwrap_or(u32::MAX),
    })
}
