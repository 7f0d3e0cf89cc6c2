package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"
)

// lineHandler writes the library's log records as one plain line each,
// prefixed like every other message of the command:
//
//	zohoterritory: retrying removeUsersFromTerritory in 2s after attempt 1: 429 Too Many Requests
//	zohoterritory: removeUsersFromTerritory attempt 1: DELETE /crm/v7/settings/territories/1/users -> 200 (38ms)
//
// Records it does not know are written as the message and key=value pairs.
type lineHandler struct {
	mu    sync.Mutex
	w     io.Writer
	level slog.Level
}

func (h *lineHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level }
func (h *lineHandler) WithAttrs([]slog.Attr) slog.Handler           { return h }
func (h *lineHandler) WithGroup(string) slog.Handler                { return h }

func (h *lineHandler) Handle(_ context.Context, r slog.Record) error {
	at := map[string]slog.Value{}
	var pairs []string
	r.Attrs(func(a slog.Attr) bool {
		at[a.Key] = a.Value
		pairs = append(pairs, a.Key+"="+a.Value.String())
		return true
	})
	str := func(k string) string { return at[k].String() }
	dur := func(k string) string {
		d := at[k].Duration()
		if d >= time.Second {
			return d.Round(100 * time.Millisecond).String()
		}
		return d.Round(time.Millisecond).String()
	}
	var line string
	switch r.Message {
	case "zohoterritory: retrying":
		line = fmt.Sprintf("retrying %s in %s after attempt %s: %s", str("operation"), dur("wait"), str("attempt"), str("reason"))
	case "zohoterritory: concurrency limit":
		line = fmt.Sprintf("concurrency limit now %s: %s", str("limit"), str("reason"))
	case "zohoterritory: over the concurrency limit; sending again under the lowered limit":
		line = fmt.Sprintf("%s attempt %s was over the concurrency limit; sending it again (limit %s)", str("operation"), str("attempt"), str("limit"))
	case "zohoterritory: attempt":
		line = fmt.Sprintf("%s attempt %s: ", str("operation"), str("attempt"))
		if _, ok := at["status"]; ok {
			line += fmt.Sprintf("%s %s -> %s", str("method"), str("path"), str("status"))
		} else {
			line += str("error")
		}
		line += fmt.Sprintf(" (%s)", dur("elapsed"))
	default:
		line = strings.TrimPrefix(r.Message, "zohoterritory: ") + " " + strings.Join(pairs, " ")
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	_, err := fmt.Fprintf(h.w, "zohoterritory: %s\n", strings.TrimSpace(line))
	return err
}
