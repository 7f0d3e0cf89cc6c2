package zohoterritory_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// atScale returns full, or short when the benchmark runs with -short, as
// make bench-once runs every benchmark: once, to prove that it still works,
// not to measure it (make bench, bench/run.sh, measures at full scale).
func atScale(full, short int) int {
	if testing.Short() {
		return short
	}
	return full
}

// stubZoho answers every bulk removal with a fixed 100-item success
// envelope, so that both sides of the overhead comparison meet the same,
// cheap server.
func stubZoho(b *testing.B, ids []string) *httptest.Server {
	b.Helper()
	items := make([]map[string]any, len(ids))
	for i, id := range ids {
		items[i] = map[string]any{"code": "SUCCESS", "details": map[string]any{"id": id}, "message": "Territory removed from the user successfully", "status": "success"}
	}
	body, err := json.Marshal(map[string]any{"territories": items})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	b.Cleanup(srv.Close)
	return srv
}

func hundredIDs() []string {
	ids := make([]string, 100)
	for i := range ids {
		ids[i] = fmt.Sprintf("57257670000%08d", i+1)
	}
	return ids
}

// handWritten is the minimal correct call: build the URL, send, decode.
func handWritten(ctx context.Context, hc *http.Client, base, token, userID string, ids []string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, base+"/crm/v7/Users/"+userID+"/territories?ids="+strings.Join(ids, ","), nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Zoho-oauthtoken "+token)
	resp, err := hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var env struct {
		Territories []struct {
			Code    string `json:"code"`
			Details struct {
				ID string `json:"id"`
			} `json:"details"`
			Message string `json:"message"`
			Status  string `json:"status"`
		} `json:"territories"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&env); err != nil {
		return 0, err
	}
	removed := 0
	for _, it := range env.Territories {
		if it.Status == "success" {
			removed++
		}
	}
	return removed, nil
}

// BenchmarkOverhead compares one bulk removal of 100 ids through the
// client with the hand-written call, against the same loopback server.
func BenchmarkOverhead(b *testing.B) {
	ids := hundredIDs()
	srv := stubZoho(b, ids)
	b.Run("impl=handwritten", func(b *testing.B) {
		hc := &http.Client{}
		b.ReportAllocs()
		for b.Loop() {
			n, err := handWritten(b.Context(), hc, srv.URL, "bench-token", "5725767000000583004", ids)
			if err != nil || n != 100 {
				b.Fatalf("removed %d: %v", n, err)
			}
		}
	})
	b.Run("impl=zohoterritory", func(b *testing.B) {
		c, err := zohoterritory.New(zohoterritory.WithAPIDomain(srv.URL), zohoterritory.WithAccessToken("bench-token"))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			res, err := c.RemoveTerritoriesFromUser(b.Context(), "5725767000000583004", ids...)
			if err != nil || len(res.Removed()) != 100 {
				b.Fatalf("removed %d: %v", len(res.Removed()), err)
			}
		}
	})
}
