//! The customers of the default mix: three in four American, the rest from
//! eight other countries, each with its cities, names, phone formats,
//! postcodes and currency.

use crate::Rng;

/// A name as typed and its ASCII form for email addresses.
pub(crate) type Name = (&'static str, &'static str);

pub(crate) struct Currency {
    pub(crate) code: &'static str,
    pub(crate) decimals: bool,
    /// Minor units per 100 US cents.
    pub(crate) per_usd: u64,
}

impl Currency {
    /// `usd_cents` in this currency's minor units (whole yen for JPY).
    pub(crate) fn minor_units(&self, usd_cents: u64) -> u64 {
        let minor = usd_cents * self.per_usd / 100;
        if self.decimals {
            minor
        } else {
            minor / 10 * 10
        }
    }
}

pub(crate) const USD: Currency = Currency {
    code: "USD",
    decimals: true,
    per_usd: 100,
};

pub(crate) struct City {
    pub(crate) name: &'static str,
    /// Code and full name; empty where addresses carry no state.
    pub(crate) state: (&'static str, &'static str),
    /// Postcode pattern (see `push_pattern`).
    pub(crate) zip: &'static str,
    /// Phone area part, substituted for `%` in the region's formats.
    pub(crate) area: &'static str,
}

pub(crate) struct Region {
    /// Orders per thousand.
    pub(crate) weight: u64,
    /// The ways the country is written, repeated to weight them.
    pub(crate) countries: &'static [&'static str],
    pub(crate) currency: &'static Currency,
    pub(crate) cities: &'static [City],
    pub(crate) first_names: &'static [Name],
    pub(crate) last_names: &'static [Name],
    /// Phone formats with the country code, and as dialled at home.
    pub(crate) intl: &'static [&'static str],
    pub(crate) national: &'static [&'static str],
    /// Share of phones (percent) in the national format, dirty runs only.
    pub(crate) national_pct: u64,
    /// In the North American Numbering Plan (national formats need no `+1`).
    pub(crate) nanp: bool,
    pub(crate) zip_plus4: bool,
    /// The international mix's accented cities and names, drawn for a
    /// third of its orders (`None` in the default mix: no draw at all).
    pub(crate) accented: Option<&'static Accented>,
}

/// Cities and names that carry accents.
pub(crate) struct Accented {
    pub(crate) cities: &'static [City],
    pub(crate) first_names: &'static [Name],
    pub(crate) last_names: &'static [Name],
}

pub(crate) fn pick_region(rng: &mut Rng, regions: &'static [Region]) -> &'static Region {
    let mut r = rng.below(1000);
    for region in regions {
        if r < region.weight {
            return region;
        }
        r -= region.weight;
    }
    &regions[0]
}

pub(crate) const EMAIL_DOMAINS: &[&str] = &[
    "example.com",
    "example.com",
    "example.net",
    "example.org",
    "mail.example.com",
    "post.example.net",
    "inbox.example.org",
];

pub(crate) const fn city(
    name: &'static str,
    state: (&'static str, &'static str),
    zip: &'static str,
    area: &'static str,
) -> City {
    City {
        name,
        state,
        zip,
        area,
    }
}

pub(crate) const NO_STATE: (&str, &str) = ("", "");

// Laid out by hand: rows of names read better than rustfmt's one per line.
#[rustfmt::skip]
pub(crate) const REGIONS: &[Region] = &[
    Region {
        weight: 750,
        countries: &[
            "US", "US", "US", "US", "us", "USA", "United States", "united states",
            "UNITED STATES", "U.S.", "", "",
        ],
        currency: &USD,
        cities: &[
            city("Chicago", ("IL", "Illinois"), "606##", "312"),
            city("Chicago", ("IL", "Illinois"), "606##", "773"),
            city("Chicago", ("IL", "Illinois"), "606##", "872"),
            city("Evanston", ("IL", "Illinois"), "602##", "847"),
            city("Naperville", ("IL", "Illinois"), "605##", "630"),
            city("Oak Park", ("IL", "Illinois"), "603##", "708"),
            city("Joliet", ("IL", "Illinois"), "604##", "815"),
            city("Milwaukee", ("WI", "Wisconsin"), "532##", "414"),
            city("Madison", ("WI", "Wisconsin"), "537##", "608"),
            city("Indianapolis", ("IN", "Indiana"), "462##", "317"),
            city("St. Louis", ("MO", "Missouri"), "631##", "314"),
            city("Kansas City", ("MO", "Missouri"), "641##", "816"),
            city("Minneapolis", ("MN", "Minnesota"), "554##", "612"),
            city("Saint Paul", ("MN", "Minnesota"), "551##", "651"),
            city("Detroit", ("MI", "Michigan"), "482##", "313"),
            city("Des Moines", ("IA", "Iowa"), "503##", "515"),
            city("Columbus", ("OH", "Ohio"), "432##", "614"),
            city("Cleveland", ("OH", "Ohio"), "441##", "216"),
            city("Louisville", ("KY", "Kentucky"), "402##", "502"),
            city("Nashville", ("TN", "Tennessee"), "372##", "615"),
            city("New York", ("NY", "New York"), "100##", "212"),
            city("Brooklyn", ("NY", "New York"), "112##", "718"),
            city("Los Angeles", ("CA", "California"), "900##", "213"),
            city("San Francisco", ("CA", "California"), "941##", "415"),
            city("San Diego", ("CA", "California"), "921##", "619"),
            city("Houston", ("TX", "Texas"), "770##", "713"),
            city("Dallas", ("TX", "Texas"), "752##", "214"),
            city("Austin", ("TX", "Texas"), "787##", "512"),
            city("Denver", ("CO", "Colorado"), "802##", "303"),
            city("Seattle", ("WA", "Washington"), "981##", "206"),
            city("Atlanta", ("GA", "Georgia"), "303##", "404"),
            city("Miami", ("FL", "Florida"), "331##", "305"),
            city("Orlando", ("FL", "Florida"), "328##", "407"),
            city("Boston", ("MA", "Massachusetts"), "021##", "617"),
            city("Philadelphia", ("PA", "Pennsylvania"), "191##", "215"),
            city("Phoenix", ("AZ", "Arizona"), "850##", "602"),
            city("Washington", ("DC", "District of Columbia"), "200##", "202"),
            city("San Juan", ("PR", "Puerto Rico"), "009##", "787"),
            city("Honolulu", ("HI", "Hawaii"), "968##", "808"),
            city("New Orleans", ("LA", "Louisiana"), "701##", "504"),
            city("Omaha", ("NE", "Nebraska"), "681##", "402"),
        ],
        first_names: &[
            ("James", "james"), ("Mary", "mary"), ("Robert", "robert"),
            ("Patricia", "patricia"), ("John", "john"), ("Jennifer", "jennifer"),
            ("Michael", "michael"), ("Linda", "linda"), ("David", "david"),
            ("Elizabeth", "elizabeth"), ("William", "william"), ("Susan", "susan"),
            ("Jessica", "jessica"), ("Thomas", "thomas"), ("Sarah", "sarah"),
            ("Christopher", "christopher"), ("Karen", "karen"), ("Daniel", "daniel"),
            ("Ashley", "ashley"), ("Emily", "emily"), ("Olivia", "olivia"), ("Noah", "noah"),
            ("Liam", "liam"), ("Ava", "ava"), ("DeShawn", "deshawn"), ("Keisha", "keisha"),
            ("Priya", "priya"), ("Wei", "wei"), ("Minh", "minh"), ("Fatima", "fatima"),
            ("José", "jose"), ("María", "maria"), ("Sofía", "sofia"), ("Jesús", "jesus"),
            ("Zoë", "zoe"), ("Renée", "renee"), ("Chloé", "chloe"), ("André", "andre"),
            ("Mary-Kate", "marykate"), ("Jo Ann", "joann"),
        ],
        last_names: &[
            ("Smith", "smith"), ("Johnson", "johnson"), ("Williams", "williams"),
            ("Brown", "brown"), ("Jones", "jones"), ("Miller", "miller"), ("Davis", "davis"),
            ("Wilson", "wilson"), ("Anderson", "anderson"), ("Taylor", "taylor"),
            ("Moore", "moore"), ("Jackson", "jackson"), ("Martin", "martin"), ("Lee", "lee"),
            ("Thompson", "thompson"), ("White", "white"), ("Harris", "harris"),
            ("Garcia", "garcia"), ("Rodriguez", "rodriguez"), ("Hernández", "hernandez"),
            ("López", "lopez"), ("Martínez", "martinez"), ("Nguyen", "nguyen"),
            ("Patel", "patel"), ("Kim", "kim"), ("Kowalski", "kowalski"), ("Okafor", "okafor"),
            ("O'Brien", "obrien"), ("McDonald", "mcdonald"), ("Smith-Jones", "smithjones"),
            ("De la Cruz", "delacruz"), ("St. John", "stjohn"), ("Müller", "mueller"),
            ("Johansson", "johansson"),
        ],
        intl: &["+1 % 555 01##", "+1 (%) 555-01##", "+1-%-555-01##"],
        national: &[
            "(%) 555-01##", "(%) 555-01##", "%-555-01##", "%-555-01##", "%.555.01##",
            "%55501##", "1-%-555-01##", "1 (%) 555-01##", "(%) 555-01##", "%-555-01##",
        ],
        national_pct: 75,
        nanp: true,
        zip_plus4: true,
        accented: None,
    },
    Region {
        weight: 50,
        countries: &[
            "GB", "GB", "gb", "United Kingdom", "united kingdom", "UK", "GBR", "England",
        ],
        currency: &Currency { code: "GBP", decimals: true, per_usd: 79 },
        cities: &[
            city("London", NO_STATE, "EC1A #@@", "20 7946 0"),
            city("London", NO_STATE, "SW1A #@@", "20 7946 0"),
            city("Manchester", NO_STATE, "M1 #@@", "161 496 0"),
            city("Birmingham", NO_STATE, "B1 #@@", "121 496 0"),
            city("Bristol", NO_STATE, "BS1 #@@", "117 496 0"),
            city("Leeds", NO_STATE, "LS1 #@@", "113 496 0"),
            city("Edinburgh", NO_STATE, "EH1 #@@", "131 496 0"),
        ],
        first_names: &[
            ("Oliver", "oliver"), ("George", "george"), ("Harry", "harry"),
            ("Amelia", "amelia"), ("Isla", "isla"), ("Charlotte", "charlotte"),
            ("Siobhan", "siobhan"), ("Rhys", "rhys"), ("Niamh", "niamh"), ("Zoë", "zoe"),
        ],
        last_names: &[
            ("Smith", "smith"), ("Jones", "jones"), ("Taylor", "taylor"), ("Evans", "evans"),
            ("Roberts", "roberts"), ("Walker", "walker"), ("Davies", "davies"),
            ("Hughes", "hughes"), ("MacLeod", "macleod"), ("O'Sullivan", "osullivan"),
            ("Ffrench-Mullen", "ffrenchmullen"),
        ],
        intl: &["+44 %###", "+44 %###", "+44 (0)%###", "0044 %###"],
        national: &["0%###"],
        national_pct: 30,
        nanp: false,
        zip_plus4: false,
        accented: None,
    },
    Region {
        weight: 50,
        countries: &["CA", "CA", "ca", "Canada", "CANADA", "CAN"],
        currency: &Currency { code: "CAD", decimals: true, per_usd: 138 },
        cities: &[
            city("Toronto", ("ON", "Ontario"), "M5V #@#", "416"),
            city("Ottawa", ("ON", "Ontario"), "K1P #@#", "613"),
            city("Montréal", ("QC", "Québec"), "H2X #@#", "514"),
            city("Québec", ("QC", "Québec"), "G1R #@#", "418"),
            city("Vancouver", ("BC", "British Columbia"), "V6B #@#", "604"),
            city("Calgary", ("AB", "Alberta"), "T2P #@#", "403"),
        ],
        first_names: &[
            ("Liam", "liam"), ("Emma", "emma"), ("Noah", "noah"), ("Olivia", "olivia"),
            ("François", "francois"), ("Étienne", "etienne"), ("Léa", "lea"),
            ("Chloé", "chloe"), ("Mathieu", "mathieu"), ("Gabrielle", "gabrielle"),
        ],
        last_names: &[
            ("Tremblay", "tremblay"), ("Gagnon", "gagnon"), ("Roy", "roy"), ("Côté", "cote"),
            ("Bouchard", "bouchard"), ("Lavoie", "lavoie"), ("Smith", "smith"),
            ("MacDonald", "macdonald"), ("Wong", "wong"),
        ],
        intl: &["+1 % 555 01##", "(%) 555-01##", "%-555-01##"],
        national: &["(%) 555-01##", "%-555-01##"],
        national_pct: 50,
        nanp: true,
        zip_plus4: false,
        accented: None,
    },
    Region {
        weight: 30,
        countries: &["DE", "DE", "de", "Germany", "Deutschland", "DEU"],
        currency: &Currency { code: "EUR", decimals: true, per_usd: 92 },
        cities: &[
            city("Berlin", NO_STATE, "10###", "30"),
            city("München", NO_STATE, "80###", "89"),
            city("Hamburg", NO_STATE, "20###", "40"),
            city("Köln", NO_STATE, "50###", "221"),
            city("Frankfurt am Main", NO_STATE, "60###", "69"),
        ],
        first_names: &[
            ("Lukas", "lukas"), ("Leon", "leon"), ("Jürgen", "juergen"), ("Jörg", "joerg"),
            ("Anna", "anna"), ("Lena", "lena"), ("Sophie", "sophie"), ("Björn", "bjoern"),
            ("Katharina", "katharina"),
        ],
        last_names: &[
            ("Müller", "mueller"), ("Schmidt", "schmidt"), ("Schneider", "schneider"),
            ("Fischer", "fischer"), ("Weber", "weber"), ("Meyer", "meyer"),
            ("Schäfer", "schaefer"), ("Köhler", "koehler"), ("Groß", "gross"),
        ],
        intl: &["+49 % ########", "+49 (0)% ########", "0049 % ########"],
        national: &["0% ########"],
        national_pct: 30,
        nanp: false,
        zip_plus4: false,
        accented: None,
    },
    Region {
        weight: 25,
        countries: &["FR", "FR", "fr", "France", "FRA"],
        currency: &Currency { code: "EUR", decimals: true, per_usd: 92 },
        cities: &[
            city("Paris", NO_STATE, "750##", "1 99 00"),
            city("Lyon", NO_STATE, "6900#", "4 65 71"),
            city("Marseille", NO_STATE, "130##", "4 65 71"),
            city("Toulouse", NO_STATE, "310##", "5 36 49"),
            city("Lille", NO_STATE, "590##", "3 53 01"),
        ],
        first_names: &[
            ("Jean", "jean"), ("Marie", "marie"), ("François", "francois"),
            ("Hélène", "helene"), ("Léa", "lea"), ("Gaëlle", "gaelle"), ("Jérôme", "jerome"),
            ("Noël", "noel"), ("Amélie", "amelie"),
        ],
        last_names: &[
            ("Martin", "martin"), ("Bernard", "bernard"), ("Dubois", "dubois"),
            ("Petit", "petit"), ("Durand", "durand"), ("Lefèvre", "lefevre"),
            ("Moreau", "moreau"), ("Girard", "girard"), ("Rousseau", "rousseau"),
        ],
        intl: &["+33 % ## ##", "+33 (0)% ## ##", "0033 % ## ##"],
        national: &["0% ## ##"],
        national_pct: 30,
        nanp: false,
        zip_plus4: false,
        accented: None,
    },
    Region {
        weight: 40,
        countries: &["MX", "MX", "mx", "Mexico", "México", "MEX", "MEX"],
        currency: &Currency { code: "MXN", decimals: true, per_usd: 1_700 },
        cities: &[
            city("Ciudad de México", ("CDMX", "Ciudad de México"), "06###", "55"),
            city("Guadalajara", ("JAL", "Jalisco"), "44###", "33"),
            city("Zapopan", ("JAL", "Jalisco"), "45###", "33"),
            city("Monterrey", ("NL", "Nuevo León"), "64###", "81"),
        ],
        first_names: &[
            ("José", "jose"), ("María", "maria"), ("Juan", "juan"), ("Guadalupe", "guadalupe"),
            ("Luis", "luis"), ("Sofía", "sofia"), ("Ximena", "ximena"),
            ("Santiago", "santiago"), ("Jesús", "jesus"), ("Ángel", "angel"),
        ],
        last_names: &[
            ("Hernández", "hernandez"), ("García", "garcia"), ("Martínez", "martinez"),
            ("López", "lopez"), ("González", "gonzalez"), ("Pérez", "perez"),
            ("Sánchez", "sanchez"), ("Ramírez", "ramirez"), ("Cruz", "cruz"),
            ("De la Cruz", "delacruz"),
        ],
        intl: &["+52 % #### ####", "+52 (%) ####-####", "0052 % #### ####"],
        national: &["% #### ####"],
        national_pct: 30,
        nanp: false,
        zip_plus4: false,
        accented: None,
    },
    Region {
        weight: 20,
        countries: &["BR", "BR", "br", "Brazil", "Brasil", "BRA"],
        currency: &Currency { code: "BRL", decimals: true, per_usd: 500 },
        cities: &[
            city("São Paulo", ("SP", "São Paulo"), "01###-###", "11"),
            city("Rio de Janeiro", ("RJ", "Rio de Janeiro"), "20###-###", "21"),
            city("Belo Horizonte", ("MG", "Minas Gerais"), "30###-###", "31"),
            city("Brasília", ("DF", "Distrito Federal"), "70###-###", "61"),
            city("Curitiba", ("PR", "Paraná"), "80###-###", "41"),
        ],
        first_names: &[
            ("João", "joao"), ("José", "jose"), ("Maria", "maria"), ("Ana", "ana"),
            ("Luíza", "luiza"), ("Gabriel", "gabriel"), ("Lucas", "lucas"),
            ("Beatriz", "beatriz"), ("Conceição", "conceicao"),
        ],
        last_names: &[
            ("Silva", "silva"), ("Santos", "santos"), ("Oliveira", "oliveira"),
            ("Souza", "souza"), ("Ferreira", "ferreira"), ("Pereira", "pereira"),
            ("Gonçalves", "goncalves"), ("Araújo", "araujo"),
        ],
        intl: &["+55 % 9####-####", "+55 (%) 9####-####", "+55 % 9#### ####"],
        national: &["(%) 9####-####", "0% 9####-####"],
        national_pct: 30,
        nanp: false,
        zip_plus4: false,
        accented: None,
    },
    Region {
        weight: 15,
        countries: &["JP", "JP", "jp", "Japan", "JPN"],
        currency: &Currency { code: "JPY", decimals: false, per_usd: 150 },
        cities: &[
            city("Tokyo", NO_STATE, "1##-####", "3-####"),
            city("Ōsaka", NO_STATE, "5##-####", "6-####"),
            city("Yokohama", NO_STATE, "2##-####", "45-###"),
            city("Kyōto", NO_STATE, "6##-####", "75-###"),
            city("Sapporo", NO_STATE, "0##-####", "11-###"),
        ],
        first_names: &[
            ("Yuki", "yuki"), ("Hiroshi", "hiroshi"), ("Haruto", "haruto"),
            ("Sakura", "sakura"), ("Takashi", "takashi"), ("翔太", "shota"), ("陽菜", "hina"),
        ],
        last_names: &[
            ("Tanaka", "tanaka"), ("Suzuki", "suzuki"), ("Takahashi", "takahashi"),
            ("Watanabe", "watanabe"), ("Itō", "ito"), ("佐藤", "sato"), ("山田", "yamada"),
        ],
        intl: &["+81 %-####", "+81 % ####"],
        national: &["0%-####"],
        national_pct: 30,
        nanp: false,
        zip_plus4: false,
        accented: None,
    },
    Region {
        weight: 20,
        countries: &["AU", "AU", "au", "Australia", "AUS"],
        currency: &Currency { code: "AUD", decimals: true, per_usd: 152 },
        cities: &[
            city("Sydney", ("NSW", "New South Wales"), "20##", "2 5550"),
            city("Melbourne", ("VIC", "Victoria"), "30##", "3 7010"),
            city("Brisbane", ("QLD", "Queensland"), "40##", "7 5550"),
            city("Perth", ("WA", "Western Australia"), "60##", "8 5550"),
            city("Adelaide", ("SA", "South Australia"), "50##", "8 7010"),
        ],
        first_names: &[
            ("Jack", "jack"), ("Charlotte", "charlotte"), ("William", "william"),
            ("Mia", "mia"), ("Lachlan", "lachlan"), ("Matilda", "matilda"), ("Zoë", "zoe"),
        ],
        last_names: &[
            ("Smith", "smith"), ("Jones", "jones"), ("Williams", "williams"),
            ("Nguyen", "nguyen"), ("Kelly", "kelly"), ("O'Connor", "oconnor"),
            ("White", "white"),
        ],
        intl: &["+61 % ####", "+61 (0)% ####", "0061 % ####"],
        national: &["0% ####"],
        national_pct: 30,
        nanp: false,
        zip_plus4: false,
        accented: None,
    },
];
