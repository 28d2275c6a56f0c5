//! Column roles, the names shops give them, and the per-platform presets.
//!
//! A file's header is matched against the presets first (a preset knows the grain and the money
//! semantics of its platform: which amount is taken once per order, whether the paid amount is
//! already net of refunds, how credit notes are marked); whatever a preset does not name is found
//! through the generic Chinese/English aliases. The user's `--map ROLE=COLUMN` overrides beat both.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What a column means to the analysis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Buyer account / member id: the best customer key.
    CustomerId,
    Email,
    Phone,
    /// Buyer or recipient name: the weakest customer key.
    Name,
    OrderId,
    OrderTime,
    PaidTime,
    /// Order-level amount (taken once per order), or per line when the preset says so.
    Amount,
    Refund,
    Status,
    /// After-sale / refund status of the row (售后状态).
    AfterSale,
    CancelledAt,
    Product,
    Sku,
    Quantity,
    UnitPrice,
    /// Money of one line, summed per order (Amazon `item-price`, Etsy `Item Total`).
    LineAmount,
    Region,
    Currency,
}

impl Role {
    pub const COUNT: usize = 19;
    pub const ALL: [Role; Role::COUNT] = [
        Role::CustomerId,
        Role::Email,
        Role::Phone,
        Role::Name,
        Role::OrderId,
        Role::OrderTime,
        Role::PaidTime,
        Role::Amount,
        Role::Refund,
        Role::Status,
        Role::AfterSale,
        Role::CancelledAt,
        Role::Product,
        Role::Sku,
        Role::Quantity,
        Role::UnitPrice,
        Role::LineAmount,
        Role::Region,
        Role::Currency,
    ];

    /// The name used in `--map ROLE=COLUMN`, JSON and the page.
    pub fn name(self) -> &'static str {
        match self {
            Role::CustomerId => "customer_id",
            Role::Email => "email",
            Role::Phone => "phone",
            Role::Name => "name",
            Role::OrderId => "order_id",
            Role::OrderTime => "order_time",
            Role::PaidTime => "paid_time",
            Role::Amount => "amount",
            Role::Refund => "refund",
            Role::Status => "status",
            Role::AfterSale => "after_sale",
            Role::CancelledAt => "cancelled_at",
            Role::Product => "product",
            Role::Sku => "sku",
            Role::Quantity => "quantity",
            Role::UnitPrice => "unit_price",
            Role::LineAmount => "line_amount",
            Role::Region => "region",
            Role::Currency => "currency",
        }
    }

    pub fn from_name(name: &str) -> Option<Role> {
        let n = name.trim().to_ascii_lowercase().replace('-', "_");
        Role::ALL.into_iter().find(|r| r.name() == n)
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// Roles that can identify a customer, best first.
    pub const CUSTOMER_KEYS: [Role; 4] = [Role::CustomerId, Role::Email, Role::Phone, Role::Name];
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

pub use super::presets::{Preset, GENERIC, PRESETS};

/// Generic column names per role, normalised (see [`normalize_header`]), best first.
#[rustfmt::skip]
static ALIASES: &[(Role, &[&str])] = &[
    (Role::CustomerId, &[
        "customer id", "customerid", "customer_id", "customer", "customer no", "customer number", "buyer id",
        "buyer user id", "buyer username", "buyer", "user id", "userid", "user_id", "member id",
        "username (buyer)", "client id", "client", "买家会员名", "买家昵称", "会员名", "买家id", "客户id", "客户编号", "会员id",
        "会员编号", "用户id", "下单帐号", "下单账号", "买家账号", "买家帐号", "客户", "买家", "会员",
    ]),
    (Role::Email, &[
        "email", "e-mail", "email address", "customer email", "buyer email", "billing email", "email (billing)",
        "邮箱", "电子邮箱", "邮件",
    ]),
    (Role::Phone, &[
        "phone", "phone number", "telephone", "mobile", "billing phone", "phone (billing)", "手机", "手机号", "手机号码",
        "联系手机", "联系电话", "电话", "收货人手机号", "收件人手机号", "收货人电话",
    ]),
    (Role::Name, &[
        "customer name", "buyer name", "full name", "billing name", "name (billing)", "收货人姓名", "收货人", "收件人",
        "客户姓名", "买家姓名", "姓名", "name",
    ]),
    (Role::OrderId, &[
        "order id", "orderid", "order_id", "order number", "order no", "order no.", "order #", "order",
        "invoice", "invoiceno", "invoice no", "invoice number", "invoice_no", "订单编号", "订单号", "主订单编号", "订单id",
        "订单", "交易号",
    ]),
    (Role::OrderTime, &[
        "order date", "order_date", "date", "created at", "created", "order time", "order created",
        "purchase date", "purchase-date", "sale date", "invoicedate", "invoice date", "order creation date",
        "createtime", "create time", "transaction date", "订单创建时间", "下单时间", "创建时间", "订单提交时间", "成交时间", "订单成交时间",
        "下单日期", "日期", "时间", "购买时间",
    ]),
    (Role::PaidTime, &[
        "paid at", "paid date", "payment date", "paid on date", "date paid", "订单付款时间", "付款时间", "支付时间", "付款确认时间",
        "付款日期",
    ]),
    (Role::Amount, &[
        "amount", "total", "order total", "order amount", "total amount", "grand total", "order total amount",
        "paid amount", "amount paid", "net sales", "revenue", "sales", "value", "order value", "paidprice",
        "total price", "买家实际支付金额", "实付金额", "用户实付金额(元)", "实收金额", "支付金额", "付款金额", "订单金额", "应付金额", "订单应付金额",
        "订单总额", "消费金额", "金额", "销售额", "总金额", "总价",
    ]),
    (Role::Refund, &[
        "refund", "refunds", "refund amount", "refunded amount", "amount refunded", "refunded", "退款金额", "退款",
        "已退款金额",
    ]),
    (Role::Status, &[
        "status", "order status", "financial status", "payment status", "order-status", "订单状态", "交易状态", "状态",
    ]),
    (Role::AfterSale, &[
        "售后状态", "退款状态", "after-sale status", "after sale status", "refund status",
    ]),
    (Role::CancelledAt, &[
        "cancelled at", "canceled at", "cancelled date", "cancel date", "取消时间",
    ]),
    (Role::Product, &[
        "product", "product name", "products", "product(s)", "item", "item name", "item title", "lineitem name",
        "description", "title", "product title", "商品", "商品名称", "商品标题", "宝贝标题", "宝贝名称", "标题", "选购商品", "产品",
        "产品名称",
    ]),
    (Role::Sku, &[
        "sku", "stockcode", "stock code", "product id", "item number", "lineitem sku", "商家编码", "商品编码", "商品id",
        "货号", "sku编码", "产品编号",
    ]),
    (Role::Quantity, &[
        "quantity", "qty", "lineitem quantity", "items sold", "number of items", "quantity-purchased", "数量",
        "购买数量", "商品数量", "宝贝总数量", "订购数量", "商品数量(件)", "件数",
    ]),
    (Role::UnitPrice, &[
        "unit price", "unitprice", "price", "lineitem price", "item price", "sold for", "单价", "价格", "商品单价",
        "成交单价",
    ]),
    (Role::LineAmount, &[
        "item total", "line total", "line amount", "item-price",
    ]),
    (Role::Region, &[
        "province", "state", "region", "shipping province", "shipping province name", "billing province",
        "ship state", "ship-state", "shipping state", "country", "shipping country", "省", "省份", "收货省份", "所在省份",
        "地区", "所在地区", "收货地区", "收货地址", "地址",
    ]),
    (Role::Currency, &[
        "currency", "币种", "货币",
    ]),
];

/// Header text as compared: trimmed (also of BOM and quotes), ASCII-lowercased, inner runs of
/// whitespace collapsed, full-width parentheses made ASCII (`商品数量（件）`).
pub fn normalize_header(raw: &str) -> String {
    let t = raw.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}' || c == '"');
    let mut out = String::with_capacity(t.len());
    let mut space = false;
    for c in t.chars() {
        let c = match c {
            '（' => '(',
            '）' => ')',
            '\u{3000}' => ' ',
            c => c,
        };
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.extend(c.to_lowercase());
    }
    out
}

/// How many of these (normalised) headers name a known column: the header-row detector's score.
pub fn known_column_count(headers: &[String]) -> usize {
    // Compared as the mapping compares them (normalised, any letter case): a header written
    // "Financial Status" must outscore a data row that happens to hold "refunded".
    let known = |h: &str| {
        let same = |n: &&str| n.eq_ignore_ascii_case(h);
        ALIASES.iter().any(|(_, names)| names.iter().any(same))
            || PRESETS.iter().any(|p| p.columns.iter().any(|(_, names)| names.iter().any(same)))
    };
    headers.iter().map(|h| normalize_header(h)).filter(|h| !h.is_empty() && known(h)).count()
}

/// Which column holds each role, and under which preset the file is read.
#[derive(Debug, Clone)]
pub struct Mapping {
    pub preset: &'static Preset,
    columns: [Option<usize>; Role::COUNT],
    pub headers: Vec<String>,
}

/// Why a mapping cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MappingError {
    /// `--map ROLE=COLUMN` named a column the file does not have.
    UnknownColumn { role: Role, column: String },
    /// No column gives the order date.
    NoDate,
    /// No amount column and no quantity × unit price.
    NoAmount,
}

impl Mapping {
    pub fn get(&self, role: Role) -> Option<usize> {
        self.columns[role.index()]
    }

    /// The header text of the column mapped to `role`.
    pub fn column_name(&self, role: Role) -> Option<&str> {
        self.get(role).map(|i| self.headers[i].as_str())
    }

    /// Role → column name pairs, for the import report.
    pub fn pairs(&self) -> Vec<(Role, String)> {
        Role::ALL.iter().filter_map(|&r| self.column_name(r).map(|n| (r, n.to_string()))).collect()
    }

    /// Maps `headers` (as written in the file) to roles. `overrides` are the user's choices, each
    /// a role and a header name (matched after normalisation) or an empty name to unmap the role.
    pub fn detect(raw_headers: &[String], overrides: &[(Role, String)]) -> Result<Mapping, MappingError> {
        let headers: Vec<String> = raw_headers.iter().map(|h| normalize_header(h)).collect();
        let find = |name: &str, taken: &[bool]| headers.iter().enumerate().position(|(i, h)| !taken[i] && h == name);
        let preset = PRESETS
            .iter()
            .filter(|p| p.signature.iter().all(|s| headers.iter().any(|h| h == &normalize_header(s))))
            // Ties go to the earlier, more specific preset.
            .rev()
            .max_by_key(|p| p.signature.len())
            .unwrap_or(&GENERIC);

        let mut columns = [None; Role::COUNT];
        let mut taken = vec![false; headers.len()];
        // The user's overrides first: they win over everything.
        for (role, column) in overrides {
            let name = normalize_header(column);
            if name.is_empty() {
                columns[role.index()] = Some(usize::MAX); // explicitly unmapped
                continue;
            }
            match headers.iter().position(|h| *h == name) {
                Some(i) => {
                    columns[role.index()] = Some(i);
                    taken[i] = true;
                }
                None => return Err(MappingError::UnknownColumn { role: *role, column: column.clone() }),
            }
        }
        // Then the preset's own names, then generic aliases for roles the preset leaves open.
        // A preset that lists a role with no names (Taobao's `Email`) keeps it unmapped.
        for &(role, names) in preset.columns {
            if columns[role.index()].is_some() {
                continue;
            }
            if names.is_empty() {
                columns[role.index()] = Some(usize::MAX);
            }
            for n in names {
                if let Some(i) = find(&normalize_header(n), &taken) {
                    columns[role.index()] = Some(i);
                    taken[i] = true;
                    break;
                }
            }
        }
        let preset_named = |role: Role| preset.columns.iter().any(|(r, _)| *r == role);
        for &(role, names) in ALIASES {
            if columns[role.index()].is_some() || (preset.id != GENERIC.id && preset_named(role)) {
                continue;
            }
            for n in names.iter() {
                if let Some(i) = find(n, &taken) {
                    columns[role.index()] = Some(i);
                    taken[i] = true;
                    break;
                }
            }
        }
        for c in columns.iter_mut() {
            if *c == Some(usize::MAX) {
                *c = None;
            }
        }
        let m = Mapping { preset, columns, headers: raw_headers.iter().map(|h| h.trim().to_string()).collect() };
        if m.get(Role::OrderTime).is_none() && m.get(Role::PaidTime).is_none() && !m.is_line_supplement() {
            return Err(MappingError::NoDate);
        }
        if !m.has_money() && !m.is_line_supplement() {
            return Err(MappingError::NoAmount);
        }
        Ok(m)
    }

    /// Whether the amount can be computed: an amount column, line amounts, or quantity × price.
    pub fn has_money(&self) -> bool {
        self.get(Role::Amount).is_some()
            || self.get(Role::LineAmount).is_some()
            || (self.get(Role::Quantity).is_some() && self.get(Role::UnitPrice).is_some())
    }

    /// A file of order lines without dates (Taobao's 宝贝报表): it adds products to the orders
    /// of another file with the same order ids rather than making orders of its own.
    pub fn is_line_supplement(&self) -> bool {
        self.get(Role::OrderTime).is_none()
            && self.get(Role::PaidTime).is_none()
            && self.get(Role::OrderId).is_some()
            && self.get(Role::Product).is_some()
    }

    /// The customer-key column to use: the user's choice if mapped, else the best present.
    pub fn customer_key(&self, choice: Option<Role>) -> Option<Role> {
        match choice {
            Some(r) => self.get(r).map(|_| r),
            None => Role::CUSTOMER_KEYS.into_iter().find(|r| self.get(*r).is_some()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(line: &str) -> Vec<String> {
        line.split(',').map(String::from).collect()
    }

    #[test]
    fn normalises_headers() {
        assert_eq!(normalize_header("  收货地址 "), "收货地址");
        assert_eq!(normalize_header("\u{feff}Sales  Record Number"), "sales record number");
        assert_eq!(normalize_header("商品数量（件）"), "商品数量(件)");
    }

    #[test]
    fn shopify_preset() {
        let h = headers("Name,Email,Financial Status,Paid at,Total,Created at,Lineitem quantity,Lineitem name,Lineitem price,Refunded Amount,Cancelled at,Phone");
        let m = Mapping::detect(&h, &[]).unwrap();
        assert_eq!(m.preset.id, "shopify");
        assert_eq!(m.column_name(Role::OrderId), Some("Name"));
        assert_eq!(m.column_name(Role::Amount), Some("Total"));
        assert_eq!(m.column_name(Role::Status), Some("Financial Status"));
        assert_eq!(m.customer_key(None), Some(Role::Email));
        assert_eq!(m.customer_key(Some(Role::Phone)), Some(Role::Phone));
    }

    #[test]
    fn tmall_report_has_no_customer() {
        let h = headers("订单编号,总金额,买家实际支付金额,收货地址 ,订单创建时间,订单付款时间 ,退款金额");
        let m = Mapping::detect(&h, &[]).unwrap();
        assert_eq!(m.preset.id, "tmall_report");
        assert_eq!(m.customer_key(None), None);
        assert_eq!(m.column_name(Role::PaidTime), Some("订单付款时间"));
        // 总金额 is not taken as a second amount.
        assert_eq!(m.column_name(Role::Amount), Some("买家实际支付金额"));
    }

    #[test]
    fn generic_file_and_overrides() {
        let h = headers("customer,date,amount");
        let m = Mapping::detect(&h, &[]).unwrap();
        assert_eq!(m.preset.id, "generic");
        assert_eq!(m.column_name(Role::CustomerId), Some("customer"));
        assert_eq!(m.column_name(Role::OrderTime), Some("date"));
        let h = headers("who,when,paid,mail");
        assert_eq!(Mapping::detect(&h, &[]).unwrap_err(), MappingError::NoDate);
        let o = [
            (Role::CustomerId, "who".to_string()),
            (Role::OrderTime, "when".to_string()),
            (Role::Amount, "paid".to_string()),
        ];
        let m = Mapping::detect(&h, &o).unwrap();
        assert_eq!(m.column_name(Role::Amount), Some("paid"));
        let bad = [(Role::Amount, "nope".to_string())];
        assert!(matches!(Mapping::detect(&h, &bad), Err(MappingError::UnknownColumn { .. })));
    }

    #[test]
    fn missing_amount_is_reported() {
        let h = headers("customer,date,note");
        assert_eq!(Mapping::detect(&h, &[]).unwrap_err(), MappingError::NoAmount);
    }

    #[test]
    fn role_names_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::from_name(r.name()), Some(r));
            assert_eq!(Role::ALL[r.index()], r);
        }
        assert_eq!(Role::from_name("Order-Id"), Some(Role::OrderId));
    }
}
