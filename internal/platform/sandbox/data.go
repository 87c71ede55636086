package sandbox

// city is a real Brazilian municipality with its IBGE code, area code and a
// few real streets (district and CEP of the street's first stretch).
type city struct {
	name, uf, ibge, ddd string
	streets             []street
}

type street struct{ name, district, cep string }

var cities = []city{
	{"São Paulo", "SP", "3550308", "11", []street{
		{"Avenida Paulista", "Bela Vista", "01310100"},
		{"Rua Augusta", "Consolação", "01305100"},
		{"Rua Vergueiro", "Liberdade", "01504001"},
	}},
	{"Rio de Janeiro", "RJ", "3304557", "21", []street{
		{"Avenida Atlântica", "Copacabana", "22021001"},
		{"Rua Voluntários da Pátria", "Botafogo", "22270010"},
	}},
	{"Belo Horizonte", "MG", "3106200", "31", []street{
		{"Avenida Afonso Pena", "Centro", "30130001"},
		{"Rua da Bahia", "Lourdes", "30160011"},
	}},
	{"Curitiba", "PR", "4106902", "41", []street{
		{"Rua XV de Novembro", "Centro", "80020310"},
		{"Avenida Sete de Setembro", "Batel", "80240000"},
	}},
	{"Porto Alegre", "RS", "4314902", "51", []street{
		{"Avenida Borges de Medeiros", "Centro Histórico", "90020025"},
		{"Rua Padre Chagas", "Moinhos de Vento", "90570080"},
	}},
	{"Salvador", "BA", "2927408", "71", []street{
		{"Avenida Sete de Setembro", "Centro", "40060001"},
	}},
	{"Recife", "PE", "2611606", "81", []street{
		{"Avenida Boa Viagem", "Boa Viagem", "51011000"},
	}},
	{"Fortaleza", "CE", "2304400", "85", []street{
		{"Avenida Beira Mar", "Meireles", "60165121"},
	}},
	{"Brasília", "DF", "5300108", "61", []street{
		{"SQS 308 Bloco C", "Asa Sul", "70355030"},
	}},
	{"Campinas", "SP", "3509502", "19", []street{
		{"Avenida Francisco Glicério", "Centro", "13012000"},
	}},
	{"Goiânia", "GO", "5208707", "62", []street{
		{"Avenida Goiás", "Setor Central", "74005010"},
	}},
	{"Manaus", "AM", "1302603", "92", []street{
		{"Avenida Eduardo Ribeiro", "Centro", "69010001"},
	}},
	{"Florianópolis", "SC", "4205407", "48", []street{
		{"Rua Felipe Schmidt", "Centro", "88010000"},
	}},
}

var firstNames = []string{
	"Ana", "Beatriz", "Bruno", "Camila", "Carlos", "Daniela", "Eduardo", "Fernanda", "Gabriel", "Helena",
	"Igor", "Juliana", "João", "Larissa", "Lucas", "Mariana", "Mateus", "Natália", "Paulo", "Rafaela",
	"Rodrigo", "Sofia", "Thiago", "Vanessa", "Vinícius",
}

var lastNames = []string{
	"Almeida", "Barbosa", "Cardoso", "Carvalho", "Costa", "Dias", "Ferreira", "Gomes", "Lima", "Martins",
	"Melo", "Oliveira", "Pereira", "Ribeiro", "Rocha", "Santos", "Silva", "Souza", "Teixeira", "Vieira",
}

var companyKinds = []string{"Auto Peças", "Oficina Mecânica", "Distribuidora", "Centro Automotivo", "Comercial"}

var complements = []string{"", "", "", "Apto 12", "Apto 301", "Casa 2", "Sala 1004", "Fundos", "Bloco B"}

// shippingMethods are the sandbox's delivery options: the method is the key
// of the carrier mapping, the carrier the sandbox's own name for it.
var shippingMethods = []struct {
	method, carrier string
	cents           int64
	weight          int
}{
	{"Normal", "Correios", 1990, 6},
	{"Expressa", "Jadlog", 3490, 3},
	{"Econômica", "Loggi", 990, 1},
}
