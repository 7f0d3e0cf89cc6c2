package contract

import (
	"context"
	"net/http"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"

	"github.com/seed-ab9c0d28/zohoterritory/api"
)

// mixed is Zoho's v7 bulk sample: three ids, five items, 207.
var mixed = Response{
	StatusCode: http.StatusMultiStatus,
	Header:     http.Header{"Content-Type": {"application/json"}},
	Body: []byte(`{"territories":[` +
		`{"code":"SUCCESS","details":{"id":"5725767000000452115"},"message":"Territory removed from the user successfully","status":"success"},` +
		`{"code":"SUCCESS","details":{"id":"5725767000000454003"},"message":"Territory removed from the user successfully","status":"success"},` +
		`{"code":"INVALID_DATA","details":{},"message":"This user cannot be removed as the user is a manager of the mentioned Territory.","status":"error"},` +
		`{"code":"INVALID_DATA","details":{},"message":"This user cannot be removed as the user is a manager of the mentioned Territory.","status":"error"},` +
		`{"code":"SUCCESS","details":{"id":"5725767000002709047"},"message":"Territory removed from the user successfully","status":"success"}]}`),
}

const mixedURL = "https://www.zohoapis.com/crm/v7/Users/5725767000000583004/territories?ids=5725767000000452115,5725767000000454003,5725767000002709047"

// BenchmarkValidateResponse measures each validator on one recorded
// response; the responses/s metric is per core (the loop is sequential).
func BenchmarkValidateResponse(b *testing.B) {
	v, err := New()
	if err != nil {
		b.Fatal(err)
	}
	req, err := ParseURL(http.MethodDelete, mixedURL, http.Header{"Authorization": {"Zoho-oauthtoken x"}})
	if err != nil {
		b.Fatal(err)
	}
	if vd := v.ValidateResponse(req, mixed); !vd.OK() {
		b.Fatalf("the sample must pass: %v %v", vd.Kin, vd.Lib)
	}
	b.Run("validator=kin-openapi", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if vd := v.kinResponse(req, mixed); vd.Kin != nil {
				b.Fatal(vd.Kin)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "responses/s")
	})
	b.Run("validator=libopenapi-validator", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := v.libResponse(req, mixed); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "responses/s")
	})
	b.Run("validator=both", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if vd := v.ValidateResponse(req, mixed); !vd.OK() {
				b.Fatal(vd)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "responses/s")
	})
}

// BenchmarkSpecLoad measures loading and checking api/openapi.yaml.
func BenchmarkSpecLoad(b *testing.B) {
	spec := api.OpenAPI()
	b.Run("validator=kin-openapi", func(b *testing.B) {
		for b.Loop() {
			doc, err := openapi3.NewLoader().LoadFromData(spec)
			if err != nil {
				b.Fatal(err)
			}
			if err := doc.Validate(context.Background()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("validator=libopenapi-validator", func(b *testing.B) {
		for b.Loop() {
			doc, err := libopenapi.NewDocument(spec)
			if err != nil {
				b.Fatal(err)
			}
			if _, errs := validator.NewValidator(doc); len(errs) > 0 {
				b.Fatal(errs)
			}
		}
	})
	b.Run("validator=both", func(b *testing.B) {
		for b.Loop() {
			if _, err := New(); err != nil {
				b.Fatal(err)
			}
		}
	})
}
