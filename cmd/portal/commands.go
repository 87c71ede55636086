package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/connectparts/portal/internal/app"
	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/auth"
	"github.com/connectparts/portal/internal/cnpj"
	"github.com/connectparts/portal/internal/config"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/seed"
)

type cli struct {
	cfg    config.Config
	stdin  io.Reader
	stdout io.Writer
}

// open builds the application, migrated, as the CLI actor.
func (c *cli) open(ctx context.Context, work bool) (*app.App, context.Context, error) {
	a, err := app.Open(ctx, c.cfg, app.NewLogger(c.cfg), app.Options{Migrate: true, Work: work && c.cfg.Workers})
	if err != nil {
		return nil, ctx, err
	}
	return a, model.WithActor(ctx, model.Actor{Label: "cli"}), nil
}

func (c *cli) serve(ctx context.Context) error {
	a, _, err := c.open(ctx, true)
	if err != nil {
		return err
	}
	defer a.Close()
	return a.Serve(ctx)
}

func (c *cli) migrate(ctx context.Context) error {
	a, _, err := c.open(ctx, false)
	if err != nil {
		return err
	}
	defer a.Close()
	fmt.Fprintln(c.stdout, "migrações aplicadas")
	return nil
}

func flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

func (c *cli) seed(ctx context.Context, args []string) error {
	fs := flags("seed")
	demo := fs.Bool("demo", false, "")
	ifEmpty := fs.Bool("if-empty", false, "")
	scale := fs.Int("scale", 0, "")
	suppliers := fs.Int("suppliers", 50, "")
	products := fs.Int("products", 50000, "")
	cpuProfile := fs.String("cpuprofile", "", "")
	if err := fs.Parse(args); err != nil {
		return usagef("seed: %v", err)
	}
	if *scale > 0 && !*demo {
		return c.seedScale(ctx, seed.ScaleOptions{Orders: *scale, Suppliers: *suppliers, Products: *products}, *cpuProfile)
	}
	if !*demo || *scale != 0 {
		return usagef("seed: use --demo ou --scale N")
	}
	a, ctx, err := c.open(ctx, false)
	if err != nil {
		return err
	}
	defer a.Close()
	if *ifEmpty {
		n, err := a.Store.CountUsers(ctx)
		if err != nil {
			return err
		}
		if _, derr := a.Store.FindUserByEmail(ctx, "admin@connectparts.example"); n > 0 && derr != nil {
			fmt.Fprintln(c.stdout, "O banco já tem usuários: dados de demonstração não aplicados.")
			return nil
		}
	}
	logins, err := seed.Demo(ctx, seed.Deps{Store: a.Store, Auth: a.Auth, Stock: a.Stock, PriceTables: a.PriceTables, Orders: a.SyncEngine, Purchasing: a.Purchasing})
	if err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, "Dados de demonstração prontos. Entre em "+c.cfg.LocalURL()+"/login com a senha \""+seed.DemoPassword+"\":")
	for _, l := range logins {
		fmt.Fprintf(c.stdout, "  %-34s %s\n", l.Email, l.Note)
	}
	return nil
}

func (c *cli) userAdd(ctx context.Context, args []string) error {
	fs := flags("user add")
	email := fs.String("email", "", "")
	name := fs.String("name", "", "")
	role := fs.String("role", "", "")
	supplier := fs.String("supplier", "", "")
	pwStdin := fs.Bool("password-stdin", false, "")
	if err := fs.Parse(args); err != nil {
		return usagef("user add: %v", err)
	}
	if *email == "" || *name == "" || *role == "" {
		return usagef("user add: --email, --name e --role são obrigatórios")
	}
	r := model.Role(*role)
	if !r.Valid() {
		return usagef("user add: perfil %q desconhecido", *role)
	}
	if (r == model.RoleSupplier) != (*supplier != "") {
		return usagef("user add: --supplier é obrigatório para o perfil supplier, e só para ele")
	}
	var password string
	if *pwStdin {
		line, err := bufio.NewReader(c.stdin).ReadString('\n')
		if err != nil && err != io.EOF {
			return err
		}
		password = strings.TrimRight(line, "\r\n")
		if password == "" {
			return fmt.Errorf("user add: nenhuma senha recebida na entrada padrão")
		}
	}
	a, ctx, err := c.open(ctx, false)
	if err != nil {
		return err
	}
	defer a.Close()
	in := auth.NewUser{Email: *email, Name: *name, Role: r, Password: password}
	if r == model.RoleSupplier {
		if msg := cnpj.Check(*supplier); msg != "" {
			return fmt.Errorf("user add: --supplier %q: %s", *supplier, msg)
		}
		sup, err := a.Store.FindSupplierByCNPJ(ctx, cnpj.Normalize(*supplier))
		if err != nil {
			return fmt.Errorf("user add: fornecedor %s: %s", cnpj.Format(*supplier), apperr.Message(err))
		}
		in.SupplierID = &sup.ID
	}
	u, pw, err := a.Auth.CreateUser(ctx, in)
	if err != nil {
		return cliError("user add", err)
	}
	fmt.Fprintf(c.stdout, "usuário %s criado (id %d, perfil %s)\n", u.Email, u.ID, u.Role)
	if password == "" {
		fmt.Fprintf(c.stdout, "senha inicial (exibida uma única vez; troca obrigatória no primeiro acesso): %s\n", pw)
	}
	return nil
}

func (c *cli) supplierAdd(ctx context.Context, args []string) error {
	fs := flags("supplier add")
	doc := fs.String("cnpj", "", "")
	name := fs.String("name", "", "")
	trade := fs.String("trade-name", "", "")
	email := fs.String("email", "", "")
	if err := fs.Parse(args); err != nil {
		return usagef("supplier add: %v", err)
	}
	if *doc == "" || *name == "" {
		return usagef("supplier add: --cnpj e --name são obrigatórios")
	}
	sup := model.Supplier{CNPJ: *doc, LegalName: *name, TradeName: *trade, Email: *email,
		DispatchHours: model.DefaultDispatchHours, PriceNoticeDays: model.DefaultPriceNoticeDays, Active: true}
	sup.Normalize()
	if err := sup.Validate(); err != nil {
		return cliError("supplier add", err)
	}
	a, ctx, err := c.open(ctx, false)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.Store.CreateSupplier(ctx, &sup); err != nil {
		return cliError("supplier add", err)
	}
	fmt.Fprintf(c.stdout, "fornecedor %s (%s) criado, id %d\n", cnpj.Format(sup.CNPJ), sup.LegalName, sup.ID)
	return nil
}

func (c *cli) tokenCreate(ctx context.Context, args []string) error {
	fs := flags("token create")
	email := fs.String("email", "", "")
	label := fs.String("label", "", "")
	if err := fs.Parse(args); err != nil {
		return usagef("token create: %v", err)
	}
	if *email == "" {
		return usagef("token create: --email é obrigatório")
	}
	a, ctx, err := c.open(ctx, false)
	if err != nil {
		return err
	}
	defer a.Close()
	u, err := a.Store.FindUserByEmail(ctx, *email)
	if err != nil {
		return cliError("token create", err)
	}
	plain, _, err := a.Auth.CreateToken(ctx, u.ID, *label)
	if err != nil {
		return cliError("token create", err)
	}
	fmt.Fprintln(c.stdout, plain)
	return nil
}

// cliError renders an application error with its details, one per line.
func cliError(cmd string, err error) error {
	var b strings.Builder
	b.WriteString(cmd + ": " + apperr.Message(err))
	for _, d := range apperr.Details(err) {
		b.WriteString("\n  - ")
		if d.Field != "" {
			b.WriteString(d.Field + ": ")
		}
		b.WriteString(d.Message)
	}
	if apperr.Code(err) == apperr.EINTERNAL {
		b.WriteString(" (" + err.Error() + ")")
	}
	return fmt.Errorf("%s", b.String())
}
