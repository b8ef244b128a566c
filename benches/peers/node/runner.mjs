// basic-ftp's reply parser, parseControlResponse, driven over the corpus.
//
//   node runner.mjs MODE FILE REPS
//
// basic-ftp reads the control socket as text (socket.setEncoding("utf8")) and,
// for every chunk, parses what was left over from the last chunk plus the new
// one: parseControlResponse(rest + chunk) returns the complete replies and the
// unfinished multi-line reply as the new rest (FtpContext._onControlSocketData).
//
// MODE:
//   whole       the corpus decoded (Buffer.toString("utf8")) and parsed in one call
//   whole-text  the same with the text decoded beforehand: the parsing alone
//   4k-lines    pieces of at most 4 KiB, each cut after its last LF, decoded with
//               a StringDecoder (as setEncoding does) and carried over as
//               basic-ftp does, including its 64 KiB limit on a buffered response
//   4k-raw      plain 4 KiB pieces, cut anywhere: not timed in the table, only to
//               show the count basic-ftp gives when a read ends inside a line
//
// Prints one line per repetition: NAME BYTES REPLIES SECONDS. The file is read
// into memory first; the timing covers decoding the text and parsing it.
import { readFileSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { parseControlResponse } from "basic-ftp/dist/parseControlResponse.js";

// FtpContext's maxControlResponseLength.
const MAX_CONTROL_RESPONSE_LENGTH = 2 ** 16;

function wholeFile(data) {
  return parseControlResponse(data.toString("utf8")).messages.length;
}

function pieces(data, lineAligned) {
  const out = [];
  let at = 0;
  while (at < data.length) {
    let end = Math.min(at + 4096, data.length);
    if (lineAligned && end < data.length) {
      const lf = data.lastIndexOf(0x0a, end - 1);
      if (lf >= at) end = lf + 1;
    }
    out.push(data.subarray(at, end));
    at = end;
  }
  return out;
}

function chunked(chunks) {
  const decoder = new StringDecoder("utf8");
  let partial = "";
  let count = 0;
  for (const bytes of chunks) {
    const chunk = decoder.write(bytes);
    if (partial.length + chunk.length > MAX_CONTROL_RESPONSE_LENGTH) {
      throw new Error("FTP control response exceeded maximum allowed size");
    }
    const parsed = parseControlResponse(partial + chunk);
    partial = parsed.rest;
    for (const message of parsed.messages) {
      // What _onControlSocketData does with each message before handing it on.
      const code = parseInt(message.substr(0, 3), 10);
      if (code !== code) throw new Error(`no code in ${message}`);
      count++;
    }
  }
  if (partial !== "") throw new Error(`unfinished reply left: ${partial.length} chars`);
  return count;
}

const [mode, file, repsArg] = process.argv.slice(2);
const data = readFileSync(file);
const reps = Number(repsArg);
let run;
switch (mode) {
  case "whole":
    run = () => wholeFile(data);
    break;
  case "whole-text": {
    const text = data.toString("utf8");
    run = () => parseControlResponse(text).messages.length;
    break;
  }
  case "4k-lines":
  case "4k-raw": {
    // Cutting the pieces is not part of the reading: done before the clock starts.
    const cut = pieces(data, mode === "4k-lines");
    run = () => chunked(cut);
    break;
  }
  default:
    console.error(`unknown mode ${mode}`);
    process.exit(2);
}
for (let i = 0; i < reps; i++) {
  const start = process.hrtime.bigint();
  const count = run();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(`node-basic-ftp/${mode} ${data.length} ${count} ${seconds.toFixed(9)}`);
}
