# zohoterritory: the everyday commands. Only Go is needed; Go tools are
# pinned in go.mod through tools.go and run with `go run`.

GO ?= go

.PHONY: all demo test check ci-rest ci-rest-targets vet unit race race-all contract bench-once check-generated generate docs lint fmt bench interop fuzz vulncheck vulncheck-ci image

all: test

## demo: run the CLI demo against the built-in sandbox (no Zoho account needed)
demo:
	$(GO) run ./cmd/zohoterritory demo

## test: every test, and the gen/ drift check; the race detector, go vet (make lint) and the rest of
## CI are in make check. CONTRIBUTING.md's table says what each target costs.
test: unit check-generated

unit:
	$(GO) test -vet=off -count=1 ./...

## check: everything CI runs (.ci/run): make test, lint (gofmt, the full go vet, golangci-lint, tidy
## modules), the race detector, the sandbox's contract check, every benchmark once, fuzzing, vulncheck,
## interop
check: test ci-rest

## ci-rest: what make check adds to make test (.ci/run runs make test, then each of these, timed)
CI_REST = lint race contract bench-once fuzz vulncheck-ci interop
ci-rest: $(CI_REST)

ci-rest-targets:
	@echo $(CI_REST)

## vet: go vet, also over the one package that a build tag changes (internal/contractcheck)
vet:
	$(GO) vet ./...
	$(GO) vet -tags contract ./internal/contractcheck

## race: the tests of every package whose tests link no OpenAPI validator, with the race detector: the
## client, the journal, the sandbox, the CLI. Compiling libopenapi and kin-openapi for the race
## detector took 230 of race's 360 s cold, and CI has 20 minutes; the packages that link them (the
## contract tooling) run without it in make test. make race-all runs every package.
race:
	@pkgs=$$(for p in $$($(GO) list ./...); do \
		$(GO) list -test -deps "$$p" | grep -qE '^github.com/(pb33f/libopenapi|getkin/kin-openapi)' || echo "$$p"; done); \
	test -n "$$pkgs" || { echo "make race: no package to test" >&2; exit 1; }; \
	echo "$(GO) test -race -vet=off -count=1" $$pkgs; \
	$(GO) test -race -vet=off -count=1 $$pkgs

## race-all: every test of every package with the race detector, the sandbox's contract check on
race-all:
	$(GO) test -race -tags contract -vet=off -count=1 ./...

## contract: the tests of the client, the CLI and the sandbox again, built with the tag contract: the
## sandbox checks every exchange they make against api/openapi.yaml with both validators
## (internal/contractcheck), compiled once already by make test
contract:
	$(GO) test -tags contract -vet=off -count=1 ./internal/contractcheck ./pkg/... ./cmd/zohoterritory

## bench-once: every benchmark of every package, one iteration each, so that a broken one fails CI;
## with -short, the benchmarks that model Zoho's latency at scale run a tenth of their load (make
## bench measures them whole).
## go test's -timeout does not cover benchmarks (testing stops its alarm before they run), so
## timeout(1) bounds the whole run: past 15 minutes every process gets SIGQUIT, which prints each
## goroutine's stack, and a hung benchmark fails CI with the place it hung instead of running out its clock.
## (Where there is no timeout(1), as on a stock macOS, the run is not bounded.)
BENCH_TIMEOUT = $(if $(shell command -v timeout 2>/dev/null),timeout -s QUIT -k 30s 15m)
bench-once:
	$(BENCH_TIMEOUT) $(GO) test -vet=off -short -run '^$$' -bench . -benchtime 1x ./...

## check-generated: regenerate gen/ from api/openapi.yaml and fail if it differs from what is committed
check-generated:
	$(GO) generate ./gen/...
	@git diff --exit-code -- gen/ || { echo "gen/ is out of date with api/openapi.yaml: run 'make generate' and commit the result" >&2; exit 1; }
	@test -z "$$(git status --porcelain -- gen/)" || { echo "gen/ has files that are not committed:" >&2; git status --porcelain -- gen/ >&2; exit 1; }

## generate: regenerate gen/ from api/openapi.yaml
generate:
	$(GO) generate ./...

## docs: regenerate docs/cli, the command reference, from the commands' help (each command's
## TestDocsCLI, in make test, fails when a page is missing, extra or different)
docs:
	$(GO) test -count=1 -run '^TestDocsCLI$$' ./cmd/zohoterritory ./cmd/zohoterritory-contract -update

## lint: formatting, vet, golangci-lint (pinned in tools/go.mod, config .golangci.yml), and tidy go.mod/go.sum
GOLANGCI_LINT = $(GO) tool -modfile=tools/go.mod golangci-lint
lint: vet
	@out=$$(gofmt -l $$(git ls-files '*.go')); test -z "$$out" || { echo "gofmt would change:" >&2; echo "$$out" >&2; exit 1; }
	@$(GO) mod tidy -diff || { echo "go.mod/go.sum are not tidy: run go mod tidy" >&2; exit 1; }
	@cd tools && $(GO) mod tidy -diff || { echo "tools/go.mod/go.sum are not tidy: run (cd tools && go mod tidy)" >&2; exit 1; }
	$(GOLANGCI_LINT) run ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

## interop: prove the spec and the sandbox with third-party tools (needs Node/npm; installs pinned tools with npm ci)
interop:
	bash interop/lint.sh

## bench: every benchmark of BENCHMARKS.md, raw results in bench/results/, compared with benchstat
bench:
	bash bench/run.sh

## fuzz: run each fuzz target for a bounded number of executions from its seed corpus (testdata/fuzz of each package)
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzCheckIDs$$' -fuzztime 50000x -timeout 10m ./pkg/zohoterritory
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeResponse$$' -fuzztime 50000x -timeout 10m ./pkg/zohoterritory
	$(GO) test -run '^$$' -fuzz '^FuzzServeRequest$$' -fuzztime 30000x -timeout 10m ./pkg/zohoterritory/zohoterritorytest
	$(GO) test -run '^$$' -fuzz '^FuzzWriteTo$$' -fuzztime 5000x -timeout 10m ./pkg/zohoterritory/tree

## vulncheck: govulncheck (pinned in go.mod through tools.go) over every package, against VULNDB
## (default https://vuln.go.dev; a local copy: make vulncheck VULNDB=file:///absolute/path/to/vulndb)
VULNDB ?= https://vuln.go.dev
vulncheck:
	$(GO) run golang.org/x/vuln/cmd/govulncheck -db $(VULNDB) ./...

## vulncheck-ci: vulncheck against ../shared/vulndb when there is one (its date printed), else
## vuln.go.dev, skipped loudly only when that is unreachable (.ci/vulncheck)
vulncheck-ci:
	bash .ci/vulncheck

## image: the sandbox as a container image (Containerfile), with podman or docker, whichever works
IMAGE ?= zohoterritory-sandbox
image:
	@engine=$$(for e in podman docker; do command -v $$e >/dev/null 2>&1 && $$e info >/dev/null 2>&1 && { echo $$e; break; }; done); \
	test -n "$$engine" || { echo "make image: no working podman or docker on this machine" >&2; exit 1; }; \
	mkdir -p .image && CGO_ENABLED=0 $(GO) build -trimpath -o .image/zohoterritory ./cmd/zohoterritory && \
	$$engine build $(IMAGE_BUILD_FLAGS) -f Containerfile -t $(IMAGE) .image
