// Command textproto-runner reads the corpus with Go's net/textproto, the reply
// reader of Go FTP clients (github.com/jlaffaye/ftp among them):
// Reader.ReadResponse(0) until io.EOF.
//
//	textproto-runner FILE REPS
//
// The corpus is read into memory first; each repetition times a fresh
// textproto.Reader over bufio.NewReader(bytes.NewReader(data)), so the reader
// pulls 4 KiB at a time (bufio's default size), as it would from a socket.
// Prints one line per repetition: NAME BYTES REPLIES SECONDS.
package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/textproto"
	"os"
	"strconv"
	"time"
)

func run(data []byte) (int, time.Duration, error) {
	start := time.Now()
	r := textproto.NewReader(bufio.NewReader(bytes.NewReader(data)))
	count := 0
	for {
		_, _, err := r.ReadResponse(0)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return count, 0, fmt.Errorf("reply %d: %w", count+1, err)
		}
		count++
	}
	return count, time.Since(start), nil
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: textproto-runner FILE REPS")
		os.Exit(2)
	}
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	reps, err := strconv.Atoi(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	for i := 0; i < reps; i++ {
		count, elapsed, err := run(data)
		if err != nil {
			fmt.Fprintln(os.Stderr, "textproto:", err)
			os.Exit(1)
		}
		fmt.Printf("go-textproto/bufio %d %d %.9f\n", len(data), count, elapsed.Seconds())
	}
}
