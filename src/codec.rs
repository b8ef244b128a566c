//! `tokio_util::codec` for the decoder (feature `tokio`).
//!
//! `FramedRead::new(stream, ReplyDecoder::new())` yields replies; the semantics
//! (limits, recovery, end of stream) are those of [`ReplyDecoder`] itself.

use bytes::BytesMut;

use crate::{DecodeError, Reply, ReplyDecoder};

/// The error of a framed control connection: a decoding error or an I/O error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CodecError {
    /// The server's bytes were not a valid reply stream.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// Reading or writing the connection failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl tokio_util::codec::Decoder for ReplyDecoder {
    type Item = Reply;
    type Error = CodecError;

    fn decode(&mut self, buf: &mut BytesMut) -> Result<Option<Reply>, CodecError> {
        Ok(ReplyDecoder::decode(self, buf)?)
    }

    fn decode_eof(&mut self, buf: &mut BytesMut) -> Result<Option<Reply>, CodecError> {
        Ok(ReplyDecoder::decode_eof(self, buf)?)
    }
}

/// Writes a reply's bytes as they are (for servers and tests).
impl tokio_util::codec::Encoder<Reply> for ReplyDecoder {
    type Error = CodecError;

    fn encode(&mut self, reply: Reply, dst: &mut BytesMut) -> Result<(), CodecError> {
        dst.extend_from_slice(reply.raw());
        Ok(())
    }
}

impl tokio_util::codec::Encoder<&Reply> for ReplyDecoder {
    type Error = CodecError;

    fn encode(&mut self, reply: &Reply, dst: &mut BytesMut) -> Result<(), CodecError> {
        dst.extend_from_slice(reply.raw());
        Ok(())
    }
}
