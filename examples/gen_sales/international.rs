//! The customers of `--mix international`: an international retailer's
//! export. Seven countries (US, Canada, Mexico, Brazil, Germany, the UK,
//! Puerto Rico), countries written as its tills write them (`US`, `USA`,
//! `Canada`, `MEX`, `Brazil`, ...), phones with `+CC`, with `00CC` and in
//! the national form, a third of the orders with accented names and city,
//! and each country's currency (USD, CAD, MXN, BRL, EUR, GBP). Its mapping,
//! `benches/international.toml`, sets no `phone_region`.

use crate::regions::{Accented, Currency, NO_STATE, Region, USD, city};

const CAD: Currency = Currency {
    code: "CAD",
    decimals: true,
    per_usd: 138,
};
const MXN: Currency = Currency {
    code: "MXN",
    decimals: true,
    per_usd: 1_700,
};
const BRL: Currency = Currency {
    code: "BRL",
    decimals: true,
    per_usd: 500,
};
const EUR: Currency = Currency {
    code: "EUR",
    decimals: true,
    per_usd: 92,
};
const GBP: Currency = Currency {
    code: "GBP",
    decimals: true,
    per_usd: 79,
};

// Laid out by hand: rows of names read better than rustfmt's one per line.
#[rustfmt::skip]
pub(crate) const REGIONS: &[Region] = &[
    Region {
        weight: 400,
        countries: &["US", "US", "US", "USA", "USA", "us"],
        currency: &USD,
        cities: &[
            city("Chicago", ("IL", "Illinois"), "606##", "312"),
            city("New York", ("NY", "New York"), "100##", "212"),
            city("Los Angeles", ("CA", "California"), "900##", "213"),
            city("Houston", ("TX", "Texas"), "770##", "713"),
            city("Miami", ("FL", "Florida"), "331##", "305"),
            city("Phoenix", ("AZ", "Arizona"), "850##", "602"),
            city("Seattle", ("WA", "Washington"), "981##", "206"),
            city("Boston", ("MA", "Massachusetts"), "021##", "617"),
        ],
        first_names: &[
            ("James", "james"), ("Mary", "mary"), ("Robert", "robert"), ("Linda", "linda"),
            ("Michael", "michael"), ("Jennifer", "jennifer"), ("David", "david"),
            ("Emily", "emily"), ("Noah", "noah"), ("Ava", "ava"), ("Priya", "priya"),
        ],
        last_names: &[
            ("Smith", "smith"), ("Johnson", "johnson"), ("Williams", "williams"),
            ("Brown", "brown"), ("Davis", "davis"), ("Nguyen", "nguyen"), ("Patel", "patel"),
            ("O'Brien", "obrien"), ("Smith-Jones", "smithjones"),
        ],
        intl: &["+1 % 555 01##", "+1 (%) 555-01##", "001 % 555 01##"],
        national: &["(%) 555-01##", "%-555-01##", "%.555.01##", "1 (%) 555-01##"],
        national_pct: 60,
        nanp: true,
        zip_plus4: true,
        accented: Some(&Accented {
            cities: &[
                city("San José", ("CA", "California"), "951##", "408"),
                city("Española", ("NM", "New Mexico"), "875##", "505"),
                city("Cañon City", ("CO", "Colorado"), "812##", "719"),
                city("La Cañada Flintridge", ("CA", "California"), "910##", "818"),
            ],
            first_names: &[
                ("José", "jose"), ("María", "maria"), ("Sofía", "sofia"), ("Jesús", "jesus"),
                ("Zoë", "zoe"), ("Renée", "renee"), ("Chloé", "chloe"), ("André", "andre"),
            ],
            last_names: &[
                ("Hernández", "hernandez"), ("López", "lopez"), ("Martínez", "martinez"),
                ("Muñoz", "munoz"), ("Peña", "pena"), ("Núñez", "nunez"),
            ],
        }),
    },
    Region {
        weight: 120,
        countries: &["Canada", "Canada", "Canada", "CA", "canada"],
        currency: &CAD,
        cities: &[
            city("Toronto", ("ON", "Ontario"), "M5V #@#", "416"),
            city("Ottawa", ("ON", "Ontario"), "K1P #@#", "613"),
            city("Vancouver", ("BC", "British Columbia"), "V6B #@#", "604"),
            city("Calgary", ("AB", "Alberta"), "T2P #@#", "403"),
            city("Edmonton", ("AB", "Alberta"), "T5J #@#", "780"),
        ],
        first_names: &[
            ("Liam", "liam"), ("Emma", "emma"), ("Noah", "noah"), ("Olivia", "olivia"),
            ("Mathieu", "mathieu"), ("Gabrielle", "gabrielle"),
        ],
        last_names: &[
            ("Tremblay", "tremblay"), ("Gagnon", "gagnon"), ("Roy", "roy"),
            ("Bouchard", "bouchard"), ("MacDonald", "macdonald"), ("Wong", "wong"),
        ],
        intl: &["+1 % 555 01##", "001 % 555 01##", "+1-%-555-01##"],
        national: &["(%) 555-01##", "%-555-01##"],
        national_pct: 50,
        nanp: true,
        zip_plus4: false,
        accented: Some(&Accented {
            cities: &[
                city("Montréal", ("QC", "Québec"), "H2X #@#", "514"),
                city("Québec", ("QC", "Québec"), "G1R #@#", "418"),
                city("Trois-Rivières", ("QC", "Québec"), "G9A #@#", "819"),
                city("Lévis", ("QC", "Québec"), "G6V #@#", "418"),
            ],
            first_names: &[
                ("François", "francois"), ("Étienne", "etienne"), ("Léa", "lea"),
                ("Chloé", "chloe"), ("Hélène", "helene"), ("Jérôme", "jerome"),
            ],
            last_names: &[
                ("Côté", "cote"), ("Bélanger", "belanger"), ("Lévesque", "levesque"),
                ("Gagné", "gagne"), ("Bérubé", "berube"),
            ],
        }),
    },
    Region {
        weight: 150,
        countries: &["MEX", "MEX", "MEX", "MX", "Mexico"],
        currency: &MXN,
        cities: &[
            city("Guadalajara", ("JAL", "Jalisco"), "44###", "33"),
            city("Monterrey", ("NL", "Nuevo Leon"), "64###", "81"),
            city("Puebla", ("PUE", "Puebla"), "72###", "222"),
            city("Tijuana", ("BC", "Baja California"), "22###", "664"),
        ],
        first_names: &[
            ("Juan", "juan"), ("Luis", "luis"), ("Guadalupe", "guadalupe"),
            ("Ximena", "ximena"), ("Santiago", "santiago"), ("Carlos", "carlos"),
            ("Ana", "ana"),
        ],
        last_names: &[
            ("Cruz", "cruz"), ("Flores", "flores"), ("Torres", "torres"),
            ("Rivera", "rivera"), ("Morales", "morales"), ("Reyes", "reyes"),
        ],
        intl: &["+52 % #### ####", "+52 (%) ####-####", "0052 % #### ####"],
        national: &["% #### ####", "(%) ####-####"],
        national_pct: 35,
        nanp: false,
        zip_plus4: false,
        accented: Some(&Accented {
            cities: &[
                city("Ciudad de México", ("CDMX", "Ciudad de México"), "06###", "55"),
                city("Querétaro", ("QRO", "Querétaro"), "76###", "442"),
                city("Mérida", ("YUC", "Yucatán"), "97###", "999"),
                city("Cancún", ("QROO", "Quintana Roo"), "77###", "998"),
                city("León", ("GTO", "Guanajuato"), "37###", "477"),
            ],
            first_names: &[
                ("José", "jose"), ("María", "maria"), ("Sofía", "sofia"), ("Jesús", "jesus"),
                ("Ángel", "angel"), ("Andrés", "andres"), ("Raúl", "raul"),
            ],
            last_names: &[
                ("Hernández", "hernandez"), ("García", "garcia"), ("Martínez", "martinez"),
                ("López", "lopez"), ("González", "gonzalez"), ("Pérez", "perez"),
                ("Sánchez", "sanchez"), ("Ramírez", "ramirez"),
            ],
        }),
    },
    Region {
        weight: 100,
        countries: &["Brazil", "Brazil", "Brazil", "BR", "brazil"],
        currency: &BRL,
        cities: &[
            city("Rio de Janeiro", ("RJ", "Rio de Janeiro"), "20###-###", "21"),
            city("Belo Horizonte", ("MG", "Minas Gerais"), "30###-###", "31"),
            city("Curitiba", ("PR", "Parana"), "80###-###", "41"),
            city("Salvador", ("BA", "Bahia"), "40###-###", "71"),
            city("Fortaleza", ("CE", "Ceara"), "60###-###", "85"),
        ],
        first_names: &[
            ("Gabriel", "gabriel"), ("Lucas", "lucas"), ("Beatriz", "beatriz"),
            ("Ana", "ana"), ("Maria", "maria"), ("Pedro", "pedro"), ("Rafael", "rafael"),
        ],
        last_names: &[
            ("Silva", "silva"), ("Santos", "santos"), ("Oliveira", "oliveira"),
            ("Souza", "souza"), ("Ferreira", "ferreira"), ("Pereira", "pereira"),
            ("Costa", "costa"),
        ],
        intl: &["+55 % 9####-####", "+55 (%) 9####-####", "0055 % 9#### ####"],
        national: &["(%) 9####-####", "0% 9####-####"],
        national_pct: 35,
        nanp: false,
        zip_plus4: false,
        accented: Some(&Accented {
            cities: &[
                city("São Paulo", ("SP", "São Paulo"), "01###-###", "11"),
                city("Brasília", ("DF", "Distrito Federal"), "70###-###", "61"),
                city("Goiânia", ("GO", "Goiás"), "74###-###", "62"),
                city("Maceió", ("AL", "Alagoas"), "57###-###", "82"),
            ],
            first_names: &[
                ("João", "joao"), ("José", "jose"), ("Luíza", "luiza"),
                ("Conceição", "conceicao"), ("Júlia", "julia"), ("Antônio", "antonio"),
                ("Márcio", "marcio"),
            ],
            last_names: &[
                ("Gonçalves", "goncalves"), ("Araújo", "araujo"), ("Magalhães", "magalhaes"),
                ("Simões", "simoes"), ("Assunção", "assuncao"),
            ],
        }),
    },
    Region {
        weight: 90,
        countries: &["DE", "DE", "Germany", "Germany", "DEU"],
        currency: &EUR,
        cities: &[
            city("Berlin", NO_STATE, "10###", "30"),
            city("Hamburg", NO_STATE, "20###", "40"),
            city("Frankfurt am Main", NO_STATE, "60###", "69"),
            city("Stuttgart", NO_STATE, "70###", "711"),
        ],
        first_names: &[
            ("Lukas", "lukas"), ("Leon", "leon"), ("Anna", "anna"), ("Lena", "lena"),
            ("Sophie", "sophie"), ("Katharina", "katharina"), ("Felix", "felix"),
        ],
        last_names: &[
            ("Schmidt", "schmidt"), ("Schneider", "schneider"), ("Fischer", "fischer"),
            ("Weber", "weber"), ("Meyer", "meyer"), ("Wagner", "wagner"),
        ],
        intl: &["+49 % ########", "+49 (0)% ########", "0049 % ########"],
        national: &["0% ########", "0%/########"],
        national_pct: 35,
        nanp: false,
        zip_plus4: false,
        accented: Some(&Accented {
            cities: &[
                city("München", NO_STATE, "80###", "89"),
                city("Köln", NO_STATE, "50###", "221"),
                city("Düsseldorf", NO_STATE, "40###", "211"),
                city("Nürnberg", NO_STATE, "90###", "911"),
            ],
            first_names: &[
                ("Jürgen", "juergen"), ("Jörg", "joerg"), ("Björn", "bjoern"),
                ("Günter", "guenter"), ("Dörte", "doerte"), ("Jürgen", "juergen"),
            ],
            last_names: &[
                ("Müller", "mueller"), ("Schäfer", "schaefer"), ("Köhler", "koehler"),
                ("Krüger", "krueger"), ("Böhm", "boehm"), ("Jäger", "jaeger"),
            ],
        }),
    },
    Region {
        weight: 90,
        countries: &["GB", "GB", "UK", "UK", "United Kingdom"],
        currency: &GBP,
        cities: &[
            city("London", NO_STATE, "EC1A #@@", "20 7946 0"),
            city("Manchester", NO_STATE, "M1 #@@", "161 496 0"),
            city("Birmingham", NO_STATE, "B1 #@@", "121 496 0"),
            city("Leeds", NO_STATE, "LS1 #@@", "113 496 0"),
        ],
        first_names: &[
            ("Oliver", "oliver"), ("George", "george"), ("Harry", "harry"),
            ("Amelia", "amelia"), ("Isla", "isla"), ("Charlotte", "charlotte"),
            ("Rhys", "rhys"),
        ],
        last_names: &[
            ("Smith", "smith"), ("Jones", "jones"), ("Taylor", "taylor"), ("Evans", "evans"),
            ("Walker", "walker"), ("MacLeod", "macleod"), ("O'Sullivan", "osullivan"),
        ],
        intl: &["+44 %###", "+44 (0)%###", "0044 %###"],
        national: &["0%###"],
        national_pct: 35,
        nanp: false,
        zip_plus4: false,
        accented: Some(&Accented {
            cities: &[
                city("Dùn Èideann", NO_STATE, "EH1 #@@", "131 496 0"),
                city("Ynys Môn", NO_STATE, "LL77 #@@", "1632 960"),
            ],
            first_names: &[
                ("Zoë", "zoe"), ("Siân", "sian"), ("Seán", "sean"), ("Chloë", "chloe"),
                ("Renée", "renee"),
            ],
            last_names: &[
                ("Brontë", "bronte"), ("Ó Briain", "obriain"), ("Ó Súilleabháin", "osuilleabhain"),
                ("Ní Dhónaill", "nidhonaill"),
            ],
        }),
    },
    Region {
        weight: 50,
        countries: &["PR", "PR", "Puerto Rico", "PRI"],
        currency: &USD,
        cities: &[
            city("San Juan", ("PR", "Puerto Rico"), "009##", "787"),
            city("Ponce", ("PR", "Puerto Rico"), "007##", "787"),
            city("Carolina", ("PR", "Puerto Rico"), "009##", "939"),
            city("Caguas", ("PR", "Puerto Rico"), "007##", "787"),
        ],
        first_names: &[
            ("Carlos", "carlos"), ("Luis", "luis"), ("Ana", "ana"), ("Carmen", "carmen"),
            ("Gabriel", "gabriel"), ("Isabel", "isabel"),
        ],
        last_names: &[
            ("Rivera", "rivera"), ("Torres", "torres"), ("Cruz", "cruz"),
            ("Ortiz", "ortiz"), ("Vega", "vega"), ("Santiago", "santiago"),
        ],
        intl: &["+1 % 555 01##", "001 % 555 01##", "+1 (%) 555-01##"],
        national: &["(%) 555-01##", "%-555-01##"],
        national_pct: 50,
        nanp: true,
        zip_plus4: false,
        accented: Some(&Accented {
            cities: &[
                city("Bayamón", ("PR", "Puerto Rico"), "009##", "787"),
                city("Mayagüez", ("PR", "Puerto Rico"), "006##", "787"),
                city("Río Grande", ("PR", "Puerto Rico"), "007##", "939"),
                city("Cataño", ("PR", "Puerto Rico"), "009##", "787"),
            ],
            first_names: &[
                ("José", "jose"), ("María", "maria"), ("Ramón", "ramon"),
                ("Héctor", "hector"), ("Andrés", "andres"), ("Inés", "ines"),
            ],
            last_names: &[
                ("Colón", "colon"), ("Rodríguez", "rodriguez"), ("Díaz", "diaz"),
                ("Ramírez", "ramirez"), ("Vázquez", "vazquez"), ("Pagán", "pagan"),
            ],
        }),
    },
];
