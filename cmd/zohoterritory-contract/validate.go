package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
	"github.com/seed-ab9c0d28/zohoterritory/internal/contract"
)

// exchange is one recorded request and response, from a HAR entry or a
// contract case.
type exchange struct {
	name string
	req  *http.Request
	resp contract.Response
	// har says the exchange is a HAR entry: a browser's recording holds
	// other hosts' traffic and assets, which are skipped, not failed. An
	// entry without a request to check (req nil) is skipped too.
	har bool
}

func newValidateCmd(io *cmdutil.IOStreams) *cobra.Command {
	var requests, onlyFailures bool
	cmd := &cobra.Command{
		Use:   "validate [--requests] [--only-failures] FILE|DIR ...",
		Short: "Validate recorded traffic against api/openapi.yaml",
		Long: `Validate recorded traffic against api/openapi.yaml with kin-openapi and
libopenapi-validator: HAR files (*.har, or JSON with a "log" object) and the
contract suite's case files (contracttests/testdata/*.json). A directory
stands for the *.har and *.json files in it. One line per exchange gives the
operation, the status and each validator's verdict; findings follow,
indented. A HAR entry that is not an operation of the spec (another host, a
page's assets, a method or path the spec does not have, a request the
browser never got an answer to) is skipped, and the
skipped entries are counted; a case file is always checked. Exit status 0
only when every exchange passes both validators, 2 when one does not, 1 for
files that cannot be read or hold no exchange to check.`,
		Example: `  zohoterritory-contract validate contracttests/testdata
  zohoterritory-contract validate --requests traffic.har
  zohoterritory-contract validate --only-failures ./recordings browser-session.har`,
		RunE: func(cmd *cobra.Command, paths []string) error {
			return runValidate(io, paths, requests, onlyFailures)
		},
	}
	cmd.Flags().BoolVar(&requests, "requests", false, "validate the recorded requests too (a HAR entry's body is its request.postData.text; a body without Content-Type is read as JSON, as Zoho reads it)")
	cmd.Flags().BoolVar(&onlyFailures, "only-failures", false, "print only the exchanges that fail (and the summary)")
	return cmd
}

func runValidate(io *cmdutil.IOStreams, paths []string, requests, onlyFailures bool) error {
	if len(paths) == 0 {
		return cmdutil.Usagef("validate: no files given")
	}
	files, err := expand(paths)
	if err != nil {
		return cmdutil.Usagef("validate: %v", err)
	}
	var exchanges []exchange
	for _, f := range files {
		xs, err := readExchanges(f)
		if err != nil {
			return cmdutil.Usagef("validate: %v", err)
		}
		exchanges = append(exchanges, xs...)
	}
	if len(exchanges) == 0 {
		return cmdutil.Usagef("validate: no exchanges found in %s", strings.Join(paths, ", "))
	}
	v, err := contract.New()
	if err != nil {
		return fmt.Errorf("validate: load the spec: %w", err)
	}

	failed, skipped, checked := 0, 0, 0
	for _, x := range exchanges {
		if x.req == nil {
			skipped++
			continue
		}
		vd := v.ValidateResponse(x.req, x.resp)
		if x.har && (vd.Operation == "" || !vd.ListedServer) {
			skipped++
			continue
		}
		checked++
		ok := vd.OK()
		var rq contract.Verdict
		if requests {
			rq = v.ValidateRequest(x.req)
			ok = ok && rq.OK()
		}
		word := "PASS"
		if !ok {
			word = "FAIL"
			failed++
		}
		op := vd.Operation
		if op == "" {
			op = "(no operation)"
		}
		line := fmt.Sprintf("%s %s %s %d response: kin-openapi=%s libopenapi-validator=%s", word, x.name, op, x.resp.StatusCode, verdictWord(vd.Kin), verdictWord(vd.Lib))
		if requests {
			line += fmt.Sprintf(" request: kin-openapi=%s libopenapi-validator=%s", verdictWord(rq.Kin), verdictWord(rq.Lib))
		}
		if ok && onlyFailures {
			continue
		}
		fmt.Fprintln(io.Out, line)
		for _, f := range []struct {
			what string
			err  error
		}{{"response kin-openapi", vd.Kin}, {"response libopenapi-validator", vd.Lib}, {"request kin-openapi", rq.Kin}, {"request libopenapi-validator", rq.Lib}} {
			if f.err != nil {
				fmt.Fprintf(io.Out, "    %s: %s\n", f.what, firstLines(f.err.Error(), 6))
			}
		}
	}
	if skipped > 0 {
		fmt.Fprintf(io.Out, "skipped %d entries that are not operations of the spec\n", skipped)
	}
	if checked == 0 {
		return cmdutil.Usagef("validate: no operation of the spec in %s", strings.Join(paths, ", "))
	}
	fmt.Fprintf(io.Out, "%d passed, %d failed\n", checked-failed, failed)
	if failed > 0 {
		return cmdutil.Exit(cmdutil.ExitPartial, fmt.Errorf("validate: %d of %d exchanges break the contract", failed, checked))
	}
	return nil
}

func verdictWord(err error) string {
	if err == nil {
		return "pass"
	}
	return "fail"
}

// firstLines keeps a long finding (kin-openapi prints whole schemas) to n
// lines, indented under its exchange.
func firstLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = append(lines[:n], fmt.Sprintf("... (%d more lines)", len(lines)-n))
	}
	return strings.Join(lines, "\n      ")
}

// expand replaces each directory by the *.har and *.json files in it.
func expand(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !fi.IsDir() {
			out = append(out, p)
			continue
		}
		var found []string
		for _, pat := range []string{"*.har", "*.json"} {
			m, err := filepath.Glob(filepath.Join(p, pat))
			if err != nil {
				return nil, err
			}
			found = append(found, m...)
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}

// har is the part of a HAR 1.2 file that validation needs.
type har struct {
	Log *struct {
		Entries []struct {
			Request struct {
				Method  string    `json:"method"`
				URL     string    `json:"url"`
				Headers []harPair `json:"headers"`
				// PostData is the body of an add; its mimeType is not
				// made a header: the headers are checked as they were
				// sent, a missing Content-Type too.
				PostData *struct {
					Text string `json:"text"`
				} `json:"postData"`
			} `json:"request"`
			Response struct {
				Status  int       `json:"status"`
				Headers []harPair `json:"headers"`
				Content struct {
					MimeType string `json:"mimeType"`
					Text     string `json:"text"`
					Encoding string `json:"encoding"`
				} `json:"content"`
			} `json:"response"`
		} `json:"entries"`
	} `json:"log"`
}

type harPair struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

func readExchanges(path string) ([]exchange, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var h har
	if err := json.Unmarshal(b, &h); err != nil {
		return nil, fmt.Errorf("%s: not JSON: %w", path, err)
	}
	if h.Log == nil {
		c, err := contract.ReadCase(path)
		if err != nil {
			return nil, fmt.Errorf("%s: neither a HAR file nor a contract case: %w", path, err)
		}
		req, err := c.HTTPRequest()
		if err != nil {
			return nil, err
		}
		return []exchange{{name: c.Name, req: req, resp: c.HTTPResponse()}}, nil
	}
	base := filepath.Base(path)
	var out []exchange
	for i, e := range h.Log.Entries {
		name := fmt.Sprintf("%s#%d", base, i+1)
		reqHeader := http.Header{}
		for _, p := range e.Request.Headers {
			reqHeader.Add(p.Name, p.Value)
		}
		req, err := contract.ParseURL(e.Request.Method, e.Request.URL, reqHeader)
		if err != nil || e.Response.Status == 0 {
			// A browser records data: URLs, extensions' requests and
			// requests it never got an answer to (status 0): none is an
			// exchange to check.
			out = append(out, exchange{name: name, har: true})
			continue
		}
		if pd := e.Request.PostData; pd != nil && pd.Text != "" {
			reqBody := []byte(pd.Text)
			req.Body = io.NopCloser(bytes.NewReader(reqBody))
			req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(reqBody)), nil }
			req.ContentLength = int64(len(reqBody))
		}
		respHeader := http.Header{}
		for _, p := range e.Response.Headers {
			respHeader.Add(p.Name, p.Value)
		}
		if respHeader.Get("Content-Type") == "" && e.Response.Content.MimeType != "" {
			respHeader.Set("Content-Type", e.Response.Content.MimeType)
		}
		body := []byte(e.Response.Content.Text)
		if e.Response.Content.Encoding == "base64" {
			if body, err = base64.StdEncoding.DecodeString(e.Response.Content.Text); err != nil {
				return nil, fmt.Errorf("%s: response content: %w", name, err)
			}
		}
		out = append(out, exchange{name: name, req: req, har: true, resp: contract.Response{StatusCode: e.Response.Status, Header: respHeader, Body: bytes.TrimSpace(body)}})
	}
	return out, nil
}
