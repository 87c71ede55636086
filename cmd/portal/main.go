// Command portal is the ConnectParts dropship portal: web server, background
// workers and the operator's command line, in one binary.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/connectparts/portal/internal/config"
)

func main() {
	setMemoryLimit(os.Getenv)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout)
	stop()
	if err != nil {
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintln(os.Stderr, "portal:", err)
			fmt.Fprintln(os.Stderr, usage)
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "portal:", err)
		os.Exit(1)
	}
}

const usage = `uso: portal [--database-url URL] [--addr :8080] [--data-dir DIR] <comando> [opções]

comandos:
  serve                                   migra, inicia o servidor web e os trabalhos em segundo plano (padrão)
  migrate                                 aplica as migrações pendentes e sai
  seed --demo [--if-empty]                dados de demonstração (idempotente)
  seed --scale N [--suppliers S] [--products P] [--cpuprofile F]  N pedidos em dois anos, para medir desempenho (idempotente)
  user add --email E --name N --role R [--supplier CNPJ] [--password-stdin]
  supplier add --cnpj C --name N [--email E] [--trade-name T]
  token create --email E [--label L]
  product import ARQUIVO                  importa o catálogo de um CSV ou XLSX (tudo ou nada; lista as linhas rejeitadas)
  nfe check ARQUIVO…                      valida XMLs de NF-e 4.00; uma linha JSON por arquivo (saída 1 se algum for inválido)
  platform add --kind K --name N --base-url URL [--setting chave=valor]… [--backfill-days 7]
                                          conecta uma plataforma de venda (K: vtex, mercadolivre, sandbox); credenciais cifradas;
                                          importa os pedidos pagos dos últimos N dias (0: nenhum) e, com PORTAL_BASE_URL,
                                          registra as notificações de pedidos da VTEX
  carrier map --platform N --method M --carrier C
                                          vincula a forma de envio M da plataforma à transportadora C (criada se nova)
  sync --platform N                       importa os pedidos da plataforma agora e mostra o resumo (saída 1 se falhar)
  files migrate                           move os documentos de PORTAL_DATA_DIR para o armazenamento compartilhado (pode repetir)

perfis (R): admin, purchasing, fiscal, logistics, viewer, supplier
variáveis: DATABASE_URL, PORTAL_ADDR, PORTAL_DATA_DIR, PORTAL_SECRET, PORTAL_ENV, PORTAL_COMPANY_CNPJ (veja o README)`

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// run parses the global flags (which override the environment) and dispatches.
func run(ctx context.Context, args []string, getenv config.Getenv, stdin io.Reader, stdout io.Writer) error {
	global := flag.NewFlagSet("portal", flag.ContinueOnError)
	global.SetOutput(io.Discard)
	dbURL := global.String("database-url", "", "")
	addr := global.String("addr", "", "")
	dataDir := global.String("data-dir", "", "")
	if err := global.Parse(args); err != nil {
		return usagef("%v", err)
	}
	overrides := map[string]string{"DATABASE_URL": *dbURL, "PORTAL_ADDR": *addr, "PORTAL_DATA_DIR": *dataDir}
	cfg, err := config.Load(func(k string) string {
		if v := overrides[k]; v != "" {
			return v
		}
		return getenv(k)
	})
	if err != nil {
		return err
	}
	rest := global.Args()
	cmd := "serve"
	if len(rest) > 0 {
		cmd, rest = rest[0], rest[1:]
	}
	c := &cli{cfg: cfg, stdin: stdin, stdout: stdout}
	switch cmd {
	case "serve":
		return c.serve(ctx)
	case "migrate":
		return c.migrate(ctx)
	case "seed":
		return c.seed(ctx, rest)
	case "user":
		if len(rest) == 0 || rest[0] != "add" {
			return usagef("use: portal user add …")
		}
		return c.userAdd(ctx, rest[1:])
	case "supplier":
		if len(rest) == 0 || rest[0] != "add" {
			return usagef("use: portal supplier add …")
		}
		return c.supplierAdd(ctx, rest[1:])
	case "product":
		if len(rest) == 0 || rest[0] != "import" {
			return usagef("use: portal product import ARQUIVO")
		}
		return c.productImport(ctx, rest[1:])
	case "token":
		if len(rest) == 0 || rest[0] != "create" {
			return usagef("use: portal token create …")
		}
		return c.tokenCreate(ctx, rest[1:])
	case "nfe":
		if len(rest) == 0 || rest[0] != "check" {
			return usagef("use: portal nfe check ARQUIVO…")
		}
		return c.nfeCheck(rest[1:])
	case "platform":
		if len(rest) == 0 || rest[0] != "add" {
			return usagef("use: portal platform add …")
		}
		return c.platformAdd(ctx, rest[1:])
	case "carrier":
		if len(rest) == 0 || rest[0] != "map" {
			return usagef("use: portal carrier map …")
		}
		return c.carrierMap(ctx, rest[1:])
	case "sync":
		return c.syncRun(ctx, rest)
	case "files":
		if len(rest) == 0 || rest[0] != "migrate" {
			return usagef("use: portal files migrate")
		}
		return c.filesMigrate(ctx, rest[1:])
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	return usagef("comando desconhecido %q", cmd)
}
