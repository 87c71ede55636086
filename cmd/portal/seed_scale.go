package main

import (
	"context"
	"fmt"

	"github.com/connectparts/portal/internal/seed"
)

// seedScale runs `portal seed --scale N`.
func (c *cli) seedScale(ctx context.Context, o seed.ScaleOptions) error {
	a, ctx, err := c.open(ctx, false)
	if err != nil {
		return err
	}
	defer a.Close()
	o.Progress = func(n int) { fmt.Fprintf(c.stdout, "  %d pedidos…\n", n) }
	res, err := seed.Scale(ctx, seed.Deps{Store: a.Store, Auth: a.Auth, Stock: a.Stock, Orders: a.SyncEngine}, o)
	if err != nil {
		return err
	}
	if res.Already {
		fmt.Fprintln(c.stdout, "A carga de escala já foi aplicada a este banco: nada mudou.")
		return nil
	}
	fmt.Fprintf(c.stdout, "Carga de escala pronta: %d pedidos de venda, %d pedidos de compra, %d linhas em %s.\n",
		res.Orders, res.POs, res.Rows, res.Took.Round(1e8))
	fmt.Fprintf(c.stdout, "Usuários: admin@escala.example, compras@, fiscal@, logistica@, consulta@ e fornecedor01@escala.example…; senha %q.\n", seed.ScalePassword)
	return nil
}
