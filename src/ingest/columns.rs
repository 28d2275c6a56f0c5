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

/// How a platform's export is to be read, beyond which column is which.
#[derive(Debug)]
pub struct Preset {
    /// Stable id, reported as the import's `format`.
    pub id: &'static str,
    pub label: &'static str,
    /// Columns that must all be present for the preset to apply.
    pub signature: &'static [&'static str],
    /// Columns by role, each with alternatives in order of preference.
    pub columns: &'static [(Role, &'static [&'static str])],
    /// The amount column is what the buyer finally paid, already reduced by refunds
    /// (Taobao/Tmall `买家实际支付金额`), so gross = amount + refund.
    pub amount_net_of_refund: bool,
    /// The `Amount` column holds a line's money and is summed per order.
    pub amount_per_line: bool,
    /// Order ids starting with this letter are credit notes (UCI `C536379`).
    pub credit_prefix: Option<u8>,
}

const fn preset(id: &'static str, label: &'static str) -> Preset {
    Preset {
        id,
        label,
        signature: &[],
        columns: &[],
        amount_net_of_refund: false,
        amount_per_line: false,
        credit_prefix: None,
    }
}

/// Platform presets, most specific first.
pub static PRESETS: &[Preset] = &[
    Preset {
        signature: &["订单编号", "买家会员名", "订单状态", "买家实际支付金额"],
        columns: &[
            (Role::OrderId, &["订单编号"]),
            (Role::CustomerId, &["买家会员名"]),
            (Role::Email, &[]),
            (Role::Name, &["收货人姓名"]),
            (Role::Phone, &["联系手机", "联系电话"]),
            (Role::OrderTime, &["订单创建时间"]),
            (Role::PaidTime, &["订单付款时间"]),
            (Role::Amount, &["买家实际支付金额"]),
            (Role::Refund, &["退款金额"]),
            (Role::Status, &["订单状态"]),
            (Role::Product, &["宝贝标题"]),
            (Role::Quantity, &["宝贝总数量"]),
            (Role::Region, &["收货地址"]),
        ],
        amount_net_of_refund: true,
        ..preset("taobao_orders", "Taobao/Tmall 订单报表 (order report)")
    },
    Preset {
        signature: &["订单编号", "总金额", "买家实际支付金额", "退款金额"],
        columns: &[
            (Role::OrderId, &["订单编号"]),
            (Role::OrderTime, &["订单创建时间"]),
            (Role::PaidTime, &["订单付款时间"]),
            (Role::Amount, &["买家实际支付金额"]),
            (Role::Refund, &["退款金额"]),
            (Role::Region, &["收货地址"]),
        ],
        amount_net_of_refund: true,
        ..preset(
            "tmall_report",
            "Tmall 订单报表 (order report without buyer)",
        )
    },
    Preset {
        signature: &["订单编号", "标题", "价格", "购买数量"],
        columns: &[
            (Role::OrderId, &["订单编号"]),
            (Role::Product, &["标题"]),
            (Role::UnitPrice, &["价格"]),
            (Role::Quantity, &["购买数量"]),
            (Role::Status, &["订单状态"]),
            (Role::Sku, &["商家编码", "外部系统编号"]),
        ],
        ..preset("taobao_items", "Taobao/Tmall 宝贝报表 (item report)")
    },
    Preset {
        signature: &["订单号", "下单时间", "应付金额"],
        columns: &[
            (Role::OrderId, &["订单号"]),
            (Role::CustomerId, &["下单帐号", "下单账号"]),
            (Role::Name, &["客户姓名"]),
            (Role::Phone, &["联系电话"]),
            (Role::OrderTime, &["下单时间"]),
            (Role::PaidTime, &["付款确认时间"]),
            (Role::Amount, &["应付金额", "订单金额"]),
            (Role::Status, &["订单状态"]),
            (Role::Product, &["商品名称"]),
            (Role::Sku, &["商品ID", "货号"]),
            (Role::Quantity, &["订购数量"]),
            (Role::UnitPrice, &["京东价"]),
            (Role::Region, &["客户地址"]),
        ],
        ..preset("jd", "JD 京东 订单导出")
    },
    Preset {
        signature: &["订单号", "订单状态", "用户实付金额(元)"],
        columns: &[
            (Role::OrderId, &["订单号"]),
            (Role::Name, &["收货人"]),
            (Role::Phone, &["手机", "收货人手机号"]),
            (
                Role::OrderTime,
                &["订单成交时间", "支付时间", "拼单成功时间"],
            ),
            (Role::Amount, &["用户实付金额(元)"]),
            (Role::Status, &["订单状态"]),
            (Role::AfterSale, &["售后状态"]),
            (Role::Product, &["商品"]),
            (
                Role::Sku,
                &["商家编码-SKU维度", "商家编码-规格维度", "商品id"],
            ),
            (Role::Quantity, &["商品数量(件)"]),
            (Role::Region, &["省", "收货地址"]),
        ],
        ..preset("pinduoduo", "Pinduoduo 拼多多 订单导出")
    },
    Preset {
        signature: &["主订单编号", "子订单编号", "订单应付金额"],
        columns: &[
            (Role::OrderId, &["主订单编号"]),
            (Role::Name, &["收件人"]),
            (Role::Phone, &["收件人手机号"]),
            (Role::OrderTime, &["订单提交时间"]),
            (Role::Amount, &["订单应付金额"]),
            (Role::Status, &["订单状态"]),
            (Role::AfterSale, &["售后状态"]),
            (Role::Product, &["选购商品"]),
            (Role::Sku, &["商家编码"]),
            (Role::Quantity, &["商品数量"]),
            (Role::Region, &["省", "详细地址"]),
        ],
        // One row per sub-order, each with the sub-order's own payable amount.
        amount_per_line: true,
        ..preset("douyin", "Douyin 抖店 订单导出")
    },
    Preset {
        signature: &["name", "email", "financial status", "lineitem name"],
        columns: &[
            (Role::OrderId, &["name"]),
            (Role::Email, &["email"]),
            (Role::Phone, &["phone", "billing phone", "shipping phone"]),
            (Role::Name, &["billing name", "shipping name"]),
            (Role::OrderTime, &["created at"]),
            (Role::PaidTime, &["paid at"]),
            (Role::Amount, &["total"]),
            (Role::Refund, &["refunded amount"]),
            (Role::Status, &["financial status"]),
            (Role::CancelledAt, &["cancelled at"]),
            (Role::Product, &["lineitem name"]),
            (Role::Sku, &["lineitem sku"]),
            (Role::Quantity, &["lineitem quantity"]),
            (Role::UnitPrice, &["lineitem price"]),
            (
                Role::Region,
                &[
                    "shipping province name",
                    "shipping province",
                    "shipping country",
                ],
            ),
            (Role::Currency, &["currency"]),
        ],
        ..preset("shopify", "Shopify orders export")
    },
    Preset {
        signature: &[
            "order id",
            "email",
            "financial status",
            "lineitem name",
            "amount refunded",
        ],
        columns: &[
            (Role::OrderId, &["order id"]),
            (Role::Email, &["email"]),
            (Role::Phone, &["billing phone", "shipping phone"]),
            (Role::Name, &["billing name", "shipping name"]),
            (Role::OrderTime, &["created at"]),
            (Role::PaidTime, &["paid at"]),
            (Role::Amount, &["total"]),
            (Role::Refund, &["amount refunded"]),
            (Role::Status, &["financial status"]),
            (Role::CancelledAt, &["cancelled at"]),
            (Role::Product, &["lineitem name"]),
            (Role::Sku, &["lineitem sku"]),
            (Role::Quantity, &["lineitem quantity"]),
            (Role::UnitPrice, &["lineitem price"]),
            (Role::Region, &["shipping province", "shipping country"]),
            (Role::Currency, &["currency"]),
        ],
        ..preset("squarespace", "Squarespace orders export")
    },
    Preset {
        signature: &["order #", "customer", "customer type"],
        columns: &[
            (Role::OrderId, &["order #"]),
            (Role::Name, &["customer"]),
            (Role::OrderTime, &["date"]),
            (
                Role::Amount,
                &["net sales", "n. revenue", "n. revenue (formatted)"],
            ),
            (Role::Status, &["status"]),
            (Role::Product, &["product(s)"]),
            (Role::Quantity, &["items sold"]),
        ],
        ..preset("woocommerce_analytics", "WooCommerce Analytics › Orders")
    },
    Preset {
        signature: &["order number", "order status", "order date"],
        columns: &[
            (Role::OrderId, &["order number", "order id"]),
            (
                Role::Email,
                &["email (billing)", "billing email", "customer email"],
            ),
            (Role::Phone, &["phone (billing)", "billing phone"]),
            (
                Role::Name,
                &["customer name", "full name (billing)", "billing name"],
            ),
            (Role::OrderTime, &["order date"]),
            (Role::Amount, &["order total amount", "order total"]),
            (
                Role::Refund,
                &["order refund", "refund amount", "total refunded"],
            ),
            (Role::Status, &["order status"]),
            (Role::Product, &["item name", "product name"]),
            (Role::Sku, &["sku"]),
            (Role::Quantity, &["quantity", "qty"]),
            (Role::UnitPrice, &["item cost"]),
            (
                Role::Region,
                &[
                    "state code (shipping)",
                    "state (shipping)",
                    "state code (billing)",
                    "country code (billing)",
                ],
            ),
            (Role::Currency, &["order currency", "currency"]),
        ],
        ..preset("woocommerce", "WooCommerce order export (plugin)")
    },
    Preset {
        signature: &["sale date", "order id", "buyer user id", "order total"],
        columns: &[
            (Role::OrderId, &["order id"]),
            (Role::CustomerId, &["buyer user id", "buyer"]),
            (Role::Name, &["full name"]),
            (Role::OrderTime, &["sale date"]),
            (Role::Amount, &["order total"]),
            (Role::Status, &["status"]),
            (Role::Quantity, &["number of items"]),
            (Role::Region, &["ship state", "ship country"]),
            (Role::Currency, &["currency"]),
        ],
        ..preset("etsy_orders", "Etsy sold orders")
    },
    Preset {
        signature: &[
            "sale date",
            "item name",
            "buyer",
            "transaction id",
            "order id",
        ],
        columns: &[
            (Role::OrderId, &["order id"]),
            (Role::CustomerId, &["buyer"]),
            (Role::Name, &["ship name"]),
            (Role::OrderTime, &["sale date"]),
            (Role::PaidTime, &["date paid"]),
            (Role::LineAmount, &["item total"]),
            (Role::Product, &["item name"]),
            (Role::Sku, &["listing id"]),
            (Role::Quantity, &["quantity"]),
            (Role::UnitPrice, &["price"]),
            (Role::Region, &["ship state", "ship country"]),
            (Role::Currency, &["currency"]),
        ],
        ..preset("etsy_items", "Etsy sold order items")
    },
    Preset {
        signature: &[
            "sales record number",
            "order number",
            "buyer username",
            "total price",
        ],
        columns: &[
            (Role::OrderId, &["order number"]),
            (Role::CustomerId, &["buyer username"]),
            (Role::Email, &["buyer email"]),
            (Role::Name, &["buyer name"]),
            (Role::Phone, &["ship to phone"]),
            (Role::OrderTime, &["sale date"]),
            (Role::PaidTime, &["paid on date"]),
            (Role::Amount, &["total price"]),
            (Role::Product, &["item title"]),
            (Role::Sku, &["custom label", "item number"]),
            (Role::Quantity, &["quantity"]),
            (Role::UnitPrice, &["sold for"]),
            (
                Role::Region,
                &["buyer state", "ship to state", "buyer country"],
            ),
        ],
        ..preset("ebay", "eBay orders report")
    },
    Preset {
        signature: &["amazon-order-id", "purchase-date", "order-status"],
        columns: &[
            (Role::OrderId, &["amazon-order-id"]),
            (Role::Email, &["buyer-email"]),
            (Role::Name, &["buyer-name"]),
            (Role::OrderTime, &["purchase-date"]),
            (Role::LineAmount, &["item-price"]),
            (Role::Status, &["order-status"]),
            (Role::Product, &["product-name"]),
            (Role::Sku, &["sku"]),
            (Role::Quantity, &["quantity", "quantity-purchased"]),
            (Role::Region, &["ship-state", "ship-country"]),
            (Role::Currency, &["currency"]),
        ],
        ..preset("amazon", "Amazon All Orders report")
    },
    Preset {
        signature: &["invoiceno", "stockcode", "quantity", "unitprice"],
        columns: &[
            (Role::OrderId, &["invoiceno"]),
            (Role::CustomerId, &["customerid"]),
            (Role::OrderTime, &["invoicedate"]),
            (Role::Product, &["description"]),
            (Role::Sku, &["stockcode"]),
            (Role::Quantity, &["quantity"]),
            (Role::UnitPrice, &["unitprice"]),
            (Role::Region, &["country"]),
        ],
        credit_prefix: Some(b'C'),
        ..preset("invoice_lines", "Invoice lines (UCI Online Retail style)")
    },
];

/// The preset used when no platform preset matches: roles come from the aliases alone.
pub static GENERIC: Preset = preset("generic", "Generic order list");

/// Generic column names per role, normalised (see [`normalize_header`]), best first.
static ALIASES: &[(Role, &[&str])] = &[
    (
        Role::CustomerId,
        &[
            "customer id",
            "customerid",
            "customer_id",
            "customer",
            "customer no",
            "customer number",
            "buyer id",
            "buyer user id",
            "buyer username",
            "buyer",
            "user id",
            "userid",
            "user_id",
            "member id",
            "username (buyer)",
            "client id",
            "client",
            "买家会员名",
            "买家昵称",
            "会员名",
            "买家id",
            "客户id",
            "客户编号",
            "会员id",
            "会员编号",
            "用户id",
            "下单帐号",
            "下单账号",
            "买家账号",
            "买家帐号",
            "客户",
            "买家",
            "会员",
        ],
    ),
    (
        Role::Email,
        &[
            "email",
            "e-mail",
            "email address",
            "customer email",
            "buyer email",
            "billing email",
            "email (billing)",
            "邮箱",
            "电子邮箱",
            "邮件",
        ],
    ),
    (
        Role::Phone,
        &[
            "phone",
            "phone number",
            "telephone",
            "mobile",
            "billing phone",
            "phone (billing)",
            "手机",
            "手机号",
            "手机号码",
            "联系手机",
            "联系电话",
            "电话",
            "收货人手机号",
            "收件人手机号",
            "收货人电话",
        ],
    ),
    (
        Role::Name,
        &[
            "customer name",
            "buyer name",
            "full name",
            "billing name",
            "name (billing)",
            "收货人姓名",
            "收货人",
            "收件人",
            "客户姓名",
            "买家姓名",
            "姓名",
        ],
    ),
    (
        Role::OrderId,
        &[
            "order id",
            "orderid",
            "order_id",
            "order number",
            "order no",
            "order no.",
            "order #",
            "order",
            "invoice",
            "invoiceno",
            "invoice no",
            "invoice number",
            "invoice_no",
            "订单编号",
            "订单号",
            "主订单编号",
            "订单id",
            "订单",
            "交易号",
        ],
    ),
    (
        Role::OrderTime,
        &[
            "order date",
            "order_date",
            "date",
            "created at",
            "created",
            "order time",
            "order created",
            "purchase date",
            "purchase-date",
            "sale date",
            "invoicedate",
            "invoice date",
            "order creation date",
            "createtime",
            "create time",
            "transaction date",
            "订单创建时间",
            "下单时间",
            "创建时间",
            "订单提交时间",
            "成交时间",
            "订单成交时间",
            "下单日期",
            "日期",
            "时间",
            "购买时间",
        ],
    ),
    (
        Role::PaidTime,
        &[
            "paid at",
            "paid date",
            "payment date",
            "paid on date",
            "date paid",
            "订单付款时间",
            "付款时间",
            "支付时间",
            "付款确认时间",
            "付款日期",
        ],
    ),
    (
        Role::Amount,
        &[
            "amount",
            "total",
            "order total",
            "order amount",
            "total amount",
            "grand total",
            "order total amount",
            "paid amount",
            "amount paid",
            "net sales",
            "revenue",
            "sales",
            "value",
            "order value",
            "paidprice",
            "total price",
            "买家实际支付金额",
            "实付金额",
            "用户实付金额(元)",
            "实收金额",
            "支付金额",
            "付款金额",
            "订单金额",
            "应付金额",
            "订单应付金额",
            "订单总额",
            "消费金额",
            "金额",
            "销售额",
            "总金额",
            "总价",
        ],
    ),
    (
        Role::Refund,
        &[
            "refund",
            "refunds",
            "refund amount",
            "refunded amount",
            "amount refunded",
            "refunded",
            "退款金额",
            "退款",
            "已退款金额",
        ],
    ),
    (
        Role::Status,
        &[
            "status",
            "order status",
            "financial status",
            "payment status",
            "order-status",
            "订单状态",
            "交易状态",
            "状态",
        ],
    ),
    (
        Role::AfterSale,
        &[
            "售后状态",
            "退款状态",
            "after-sale status",
            "after sale status",
            "refund status",
        ],
    ),
    (
        Role::CancelledAt,
        &[
            "cancelled at",
            "canceled at",
            "cancelled date",
            "cancel date",
            "取消时间",
        ],
    ),
    (
        Role::Product,
        &[
            "product",
            "product name",
            "products",
            "product(s)",
            "item",
            "item name",
            "item title",
            "lineitem name",
            "description",
            "title",
            "product title",
            "商品",
            "商品名称",
            "商品标题",
            "宝贝标题",
            "宝贝名称",
            "标题",
            "选购商品",
            "产品",
            "产品名称",
        ],
    ),
    (
        Role::Sku,
        &[
            "sku",
            "stockcode",
            "stock code",
            "product id",
            "item number",
            "lineitem sku",
            "商家编码",
            "商品编码",
            "商品id",
            "货号",
            "sku编码",
            "产品编号",
        ],
    ),
    (
        Role::Quantity,
        &[
            "quantity",
            "qty",
            "lineitem quantity",
            "items sold",
            "number of items",
            "quantity-purchased",
            "数量",
            "购买数量",
            "商品数量",
            "宝贝总数量",
            "订购数量",
            "商品数量(件)",
            "件数",
        ],
    ),
    (
        Role::UnitPrice,
        &[
            "unit price",
            "unitprice",
            "price",
            "lineitem price",
            "item price",
            "sold for",
            "单价",
            "价格",
            "商品单价",
            "成交单价",
        ],
    ),
    (
        Role::LineAmount,
        &["item total", "line total", "line amount", "item-price"],
    ),
    (
        Role::Region,
        &[
            "province",
            "state",
            "region",
            "shipping province",
            "shipping province name",
            "billing province",
            "ship state",
            "ship-state",
            "shipping state",
            "country",
            "shipping country",
            "省",
            "省份",
            "收货省份",
            "所在省份",
            "地区",
            "所在地区",
            "收货地区",
            "收货地址",
            "地址",
        ],
    ),
    (Role::Currency, &["currency", "币种", "货币"]),
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
    headers
        .iter()
        .filter(|h| {
            !h.is_empty()
                && (ALIASES.iter().any(|(_, names)| names.contains(&h.as_str()))
                    || PRESETS.iter().any(|p| {
                        p.columns
                            .iter()
                            .any(|(_, names)| names.contains(&h.as_str()))
                    }))
        })
        .count()
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
        Role::ALL
            .iter()
            .filter_map(|&r| self.column_name(r).map(|n| (r, n.to_string())))
            .collect()
    }

    /// Maps `headers` (as written in the file) to roles. `overrides` are the user's choices, each
    /// a role and a header name (matched after normalisation) or an empty name to unmap the role.
    pub fn detect(
        raw_headers: &[String],
        overrides: &[(Role, String)],
    ) -> Result<Mapping, MappingError> {
        let headers: Vec<String> = raw_headers.iter().map(|h| normalize_header(h)).collect();
        let find = |name: &str, taken: &[bool]| {
            headers
                .iter()
                .enumerate()
                .position(|(i, h)| !taken[i] && h == name)
        };
        let preset = PRESETS
            .iter()
            .filter(|p| {
                p.signature
                    .iter()
                    .all(|s| headers.iter().any(|h| h == &normalize_header(s)))
            })
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
                None => {
                    return Err(MappingError::UnknownColumn {
                        role: *role,
                        column: column.clone(),
                    })
                }
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
        let m = Mapping {
            preset,
            columns,
            headers: raw_headers.iter().map(|h| h.trim().to_string()).collect(),
        };
        if m.get(Role::OrderTime).is_none()
            && m.get(Role::PaidTime).is_none()
            && !m.is_line_supplement()
        {
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
            None => Role::CUSTOMER_KEYS
                .into_iter()
                .find(|r| self.get(*r).is_some()),
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
        assert_eq!(
            normalize_header("\u{feff}Sales  Record Number"),
            "sales record number"
        );
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
        let h = headers(
            "订单编号,总金额,买家实际支付金额,收货地址 ,订单创建时间,订单付款时间 ,退款金额",
        );
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
        assert!(matches!(
            Mapping::detect(&h, &bad),
            Err(MappingError::UnknownColumn { .. })
        ));
    }

    #[test]
    fn missing_amount_is_reported() {
        let h = headers("customer,date,note");
        assert_eq!(
            Mapping::detect(&h, &[]).unwrap_err(),
            MappingError::NoAmount
        );
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
