//! The names of a line item's columns (`SKU`, `Lineitem quantity`,
//! `Unit Price`, `Gross Sales`, ...): which item field each one claims.

use super::names;

/// What a column of a line item holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ItemRole {
    Id,
    Quantity,
    Price,
    /// The line's total (price × quantity), when no unit price is there.
    LineTotal,
    Title,
    Brand,
    Category,
}

impl ItemRole {
    /// The `[contents]` key it is written under.
    pub fn key(self) -> &'static str {
        match self {
            ItemRole::Id => "id_column",
            ItemRole::Quantity => "quantity_column",
            ItemRole::Price => "item_price_column",
            ItemRole::LineTotal => "line_total_column",
            ItemRole::Title => "title_column",
            ItemRole::Brand => "brand_column",
            ItemRole::Category => "category_column",
        }
    }

    /// In words, for the checks.
    pub fn what(self) -> &'static str {
        match self {
            ItemRole::Id => "item id (SKU)",
            ItemRole::Quantity => "quantity",
            ItemRole::Price => "item price",
            ItemRole::LineTotal => "line total",
            ItemRole::Title => "item name",
            ItemRole::Brand => "brand",
            ItemRole::Category => "category",
        }
    }
}

/// Spellings, folded by [`names::fold`], most specific first per role.
const ITEM_SPELLINGS: &[(ItemRole, &[&str])] = &[
    (
        ItemRole::Id,
        &[
            "sku",
            "itemsku",
            "productsku",
            "variantsku",
            "itemid",
            "productid",
            "variantid",
            "itemcode",
            "productcode",
            "itemno",
            "itemnumber",
            "productnumber",
            "article",
            "articleno",
            "articlenumber",
            "upc",
            "barcode",
            "ean",
            "gtin",
            "plu",
            "artikelnummer",
            "artikelnr",
            "référence",
            "reference",
            "codigo",
            "código",
            "codice",
            "artikelcode",
        ],
    ),
    (
        ItemRole::Quantity,
        &[
            "quantity",
            "qty",
            "units",
            "quantitysold",
            "qtysold",
            "unitssold",
            "quantityordered",
            "qtyordered",
            "count",
            "menge",
            "anzahl",
            "quantité",
            "quantite",
            "cantidad",
            "quantità",
            "quantita",
            "aantal",
            "quantidade",
        ],
    ),
    (
        ItemRole::Price,
        &[
            "itemprice",
            "unitprice",
            "priceeach",
            "priceperunit",
            "productprice",
            "price",
            "saleprice",
            "sellingprice",
            "unitcost",
            "itemcost",
            "einzelpreis",
            "stückpreis",
            "stuckpreis",
            "prixunitaire",
            "preciounitario",
            "prezzounitario",
            "stuksprijs",
            "preçounitário",
            "precounitario",
            // May be the line's total rather than one unit's price: the
            // values are compared with the order total when there is one.
            "lineprice",
        ],
    ),
    (
        ItemRole::LineTotal,
        &[
            "linetotal",
            "lineamount",
            "grosssales",
            "preisbrutto",
            "gesamtpreis",
            "orderlinetotal",
            "totalline",
            "montantligne",
            "importelinea",
            "totaleriga",
            "regeltotaal",
            "totallinha",
        ],
    ),
    (
        ItemRole::Title,
        &[
            "itemname",
            "productname",
            "variantname",
            "lineitemname",
            "title",
            "itemtitle",
            "producttitle",
            "item",
            "product",
            "description",
            "itemdescription",
            "productdescription",
            "beschreibung",
            "artikel",
            "artikelname",
            "produkt",
            "produktname",
            "bezeichnung",
            "désignation",
            "designation",
            "libellé",
            "produit",
            "artículo",
            "articulo",
            "producto",
            "articolo",
            "prodotto",
            "omschrijving",
            "artikelnaam",
            "produto",
            "descrição",
        ],
    ),
    (
        ItemRole::Brand,
        &["brand", "brandname", "vendor", "manufacturer", "make"],
    ),
    (
        ItemRole::Category,
        &[
            "category",
            "categoryname",
            "productcategory",
            "itemcategory",
            "producttype",
            "itemtype",
            "department",
            "dept",
            "kategorie",
            "warengruppe",
            "catégorie",
            "categoría",
            "categoria",
            "categorie",
        ],
    ),
];

/// Words in front of an item field that do not change it (`Lineitem
/// quantity`, `Item Qty`, `Product Brand`).
const ITEM_QUALIFIERS: &[&str] = &["lineitem", "line", "item", "product", "variant"];

/// The item role a column's name claims, with its rank (lower is more
/// specific; a qualified spelling ranks after every plain one).
pub(super) fn match_item(name: &str) -> Option<(ItemRole, usize)> {
    let folded = names::fold(name);
    let lookup = |s: &str| {
        ITEM_SPELLINGS.iter().find_map(|(role, spellings)| {
            spellings.iter().position(|n| *n == s).map(|r| (*role, r))
        })
    };
    if let Some(found) = lookup(&folded) {
        return Some(found);
    }
    // A bare `Name` next to item columns (WooCommerce) is the product's;
    // taken only when no other column names the item.
    if folded == "name" {
        return Some((ItemRole::Title, 1000));
    }
    ITEM_QUALIFIERS.iter().find_map(|q| {
        let rest = folded.strip_prefix(q)?;
        lookup(rest).map(|(role, rank)| (role, 100 + rank))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_names() {
        let role = |n: &str| match_item(n).map(|(r, _)| r);
        assert_eq!(role("SKU"), Some(ItemRole::Id));
        assert_eq!(role("Product Code"), Some(ItemRole::Id));
        assert_eq!(role("Lineitem sku"), Some(ItemRole::Id));
        assert_eq!(role("Qty"), Some(ItemRole::Quantity));
        assert_eq!(role("Lineitem quantity"), Some(ItemRole::Quantity));
        assert_eq!(role("Unit Price"), Some(ItemRole::Price));
        assert_eq!(role("price_each"), Some(ItemRole::Price));
        assert_eq!(role("Item Name"), Some(ItemRole::Title));
        assert_eq!(role("Lineitem name"), Some(ItemRole::Title));
        assert_eq!(role("Product Brand"), Some(ItemRole::Brand));
        assert_eq!(role("Department"), Some(ItemRole::Category));
        assert_eq!(match_item("Name"), Some((ItemRole::Title, 1000)));
        assert_eq!(role("Line Total"), Some(ItemRole::LineTotal));
        assert_eq!(role("Gross Sales"), Some(ItemRole::LineTotal));
        assert_eq!(role("Order Total"), None);
        // A plain spelling beats a qualified one.
        assert!(match_item("price").unwrap().1 < match_item("Lineitem price").unwrap().1);
    }
}
