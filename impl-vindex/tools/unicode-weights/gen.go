// Command gen writes the primary-weight table used by Mosaic's unicode_loose_md5 and
// unicode_loose_xxhash vindexes (impl-vindex/src/main/resources/dev/mosaic/vindex/unicode/weights.bin.gz).
//
// Vitess computes those vindexes from the primary weights of golang.org/x/text's CLDR 23
// root ("und") collation table. This program asks that same collator, through its public
// API (collate.New(language.Und, collate.Loose).Key, which yields exactly the primary
// weights), for the weights of
//   - every code point whose weights are not the implicit weights the Java side recomputes, and
//   - every multi-code-point contraction candidate listed in a DUCET allkeys.txt whose weights
//     differ from what greedy per-code-point lookup would give.
//
// Run (Debian: apt-get install golang-go golang-golang-x-text-dev):
//   GO111MODULE=off GOPATH=/usr/share/gocode go run gen.go \
//     /usr/share/perl/5.36/Unicode/Collate/allkeys.txt out.bin
// then gzip -9 -n out.bin into the resource above.
package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

var coll = collate.New(language.Und, collate.Loose)
var buf collate.Buffer

func key(s string) []byte {
	buf.Reset()
	return append([]byte(nil), coll.KeyFromString(&buf, s)...)
}

// The implicit weight the Java side computes when a code point has no table entry
// (others offset; ideographs are decided on the Java side with Unicode 15 data).
func implicitOther(r rune) []byte { return enc(int(r) + 0x50000) }
func implicitIdeo(r rune) []byte {
	if (r >= 0x4E00 && r <= 0x9FFF) || (r >= 0xF900 && r <= 0xFAFF) {
		return enc(int(r) + 0x10000)
	}
	return enc(int(r) + 0x20000)
}

func enc(w int) []byte {
	if w <= 0x7FFF {
		return []byte{byte(w >> 8), byte(w)}
	}
	return []byte{byte(w>>16) | 0x80, byte(w >> 8), byte(w)}
}

func main() {
	single := map[rune][]byte{}
	var cps []rune
	for r := rune(0); r <= 0x10FFFF; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		k := key(string(r))
		if bytes.Equal(k, implicitOther(r)) || bytes.Equal(k, implicitIdeo(r)) {
			continue
		}
		single[r] = k
		cps = append(cps, r)
	}
	greedyLookup := func(r rune) []byte {
		if k, ok := single[r]; ok {
			return k
		}
		return key(string(r)) // implicit: the Java side recomputes the same
	}
	type contraction struct {
		seq []rune
		key []byte
	}
	var contr []contraction
	contrMap := map[string][]byte{}
	maxLen := 1
	greedy := func(seq []rune) []byte {
		var out []byte
		for i := 0; i < len(seq); {
			matched := false
			for n := maxLen; n >= 2; n-- {
				if i+n <= len(seq) {
					if k, ok := contrMap[string(seq[i:i+n])]; ok {
						out = append(out, k...)
						i += n
						matched = true
						break
					}
				}
			}
			if !matched {
				out = append(out, greedyLookup(seq[i])...)
				i++
			}
		}
		return out
	}
	// Contraction candidates, shortest first so longer ones are judged against shorter ones.
	f, err := os.Open(os.Args[1])
	if err != nil {
		panic(err)
	}
	var cands [][]rune
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		semi := strings.IndexByte(line, ';')
		if semi < 0 || strings.HasPrefix(line, "@") || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line[:semi])
		if len(fields) < 2 {
			continue
		}
		var seq []rune
		for _, h := range fields {
			v, err := strconv.ParseUint(h, 16, 32)
			if err != nil {
				panic(err)
			}
			seq = append(seq, rune(v))
		}
		cands = append(cands, seq)
	}
	sort.SliceStable(cands, func(i, j int) bool { return len(cands[i]) < len(cands[j]) })
	for _, seq := range cands {
		k := key(string(seq))
		if !bytes.Equal(k, greedy(seq)) {
			contr = append(contr, contraction{seq, k})
			contrMap[string(seq)] = k
			if len(seq) > maxLen {
				maxLen = len(seq)
			}
		}
	}
	out := &bytes.Buffer{}
	w := func(v any) { binary.Write(out, binary.BigEndian, v) }
	out.WriteString("MVUW")
	w(int32(1))
	w(int32(len(cps)))
	for _, r := range cps {
		k := single[r]
		w(int32(r))
		w(uint8(len(k)))
		out.Write(k)
	}
	w(int32(len(contr)))
	for _, c := range contr {
		w(uint8(len(c.seq)))
		for _, r := range c.seq {
			w(int32(r))
		}
		w(uint8(len(c.key)))
		out.Write(c.key)
	}
	if err := os.WriteFile(os.Args[2], out.Bytes(), 0o644); err != nil {
		panic(err)
	}
	fmt.Fprintf(os.Stderr, "%d code points, %d contractions, %d bytes\n", len(cps), len(contr), out.Len())
	_ = utf8.RuneError
}
