//! Platform presets: how each shop's export names its columns and settles its money.
//!
//! Sources for every preset are in `shared/data/formats.md`; a preset applies when all of its
//! signature columns are present, and the most specific one (longest signature, earliest on ties)
//! wins.

use super::columns::Role;

/// How a platform's export is to be read, beyond which column is which.
#[derive(Debug)]
pub struct Preset {
    /// Stable id, reported as the import's `format`.
    pub id: &'static str,
    /// The format's name for people, in English and in Chinese.
    pub label: &'static str,
    pub label_zh: &'static str,
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

const fn preset(id: &'static str, label: &'static str, label_zh: &'static str) -> Preset {
    Preset {
        id,
        label,
        label_zh,
        signature: &[],
        columns: &[],
        amount_net_of_refund: false,
        amount_per_line: false,
        credit_prefix: None,
    }
}

/// Shopify's orders export and Squarespace's copy of it (`Order ID`, `Amount Refunded`).
const SHOPIFY_STYLE: &[(Role, &[&str])] = &[
    (Role::OrderId, &["name", "order id"]),
    (Role::Email, &["email"]),
    (Role::Phone, &["phone", "billing phone", "shipping phone"]),
    (Role::Name, &["billing name", "shipping name"]),
    (Role::OrderTime, &["created at"]),
    (Role::PaidTime, &["paid at"]),
    (Role::Amount, &["total"]),
    (Role::Refund, &["refunded amount", "amount refunded"]),
    (Role::Status, &["financial status"]),
    (Role::CancelledAt, &["cancelled at"]),
    (Role::Product, &["lineitem name"]),
    (Role::Sku, &["lineitem sku"]),
    (Role::Quantity, &["lineitem quantity"]),
    (Role::UnitPrice, &["lineitem price"]),
    (Role::Region, &["shipping province name", "shipping province", "shipping country"]),
    (Role::Currency, &["currency"]),
];

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
        ..preset("taobao_orders", "Taobao/Tmall 订单报表 (order report)", "淘宝/天猫 订单报表")
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
        ..preset("tmall_report", "Tmall 订单报表 (order report without buyer)", "天猫 订单报表（无买家列）")
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
        ..preset("taobao_items", "Taobao/Tmall 宝贝报表 (item report)", "淘宝/天猫 宝贝报表")
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
        ..preset("jd", "JD 京东 订单导出", "京东 订单导出")
    },
    Preset {
        signature: &["订单号", "订单状态", "用户实付金额(元)"],
        columns: &[
            (Role::OrderId, &["订单号"]),
            (Role::Name, &["收货人"]),
            (Role::Phone, &["手机", "收货人手机号"]),
            (Role::OrderTime, &["订单成交时间", "支付时间", "拼单成功时间"]),
            (Role::Amount, &["用户实付金额(元)"]),
            (Role::Status, &["订单状态"]),
            (Role::AfterSale, &["售后状态"]),
            (Role::Product, &["商品"]),
            (Role::Sku, &["商家编码-SKU维度", "商家编码-规格维度", "商品id"]),
            (Role::Quantity, &["商品数量(件)"]),
            (Role::Region, &["省", "收货地址"]),
        ],
        ..preset("pinduoduo", "Pinduoduo 拼多多 订单导出", "拼多多 订单导出")
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
        ..preset("douyin", "Douyin 抖店 订单导出", "抖店 订单导出")
    },
    Preset {
        signature: &["name", "email", "financial status", "lineitem name"],
        columns: SHOPIFY_STYLE,
        ..preset("shopify", "Shopify orders export", "Shopify 订单导出")
    },
    Preset {
        signature: &["order id", "email", "financial status", "lineitem name", "amount refunded"],
        columns: SHOPIFY_STYLE,
        ..preset("squarespace", "Squarespace orders export", "Squarespace 订单导出")
    },
    Preset {
        signature: &["order #", "customer", "customer type"],
        columns: &[
            (Role::OrderId, &["order #"]),
            (Role::Name, &["customer"]),
            (Role::OrderTime, &["date"]),
            (Role::Amount, &["net sales", "n. revenue", "n. revenue (formatted)"]),
            (Role::Status, &["status"]),
            (Role::Product, &["product(s)"]),
            (Role::Quantity, &["items sold"]),
        ],
        ..preset("woocommerce_analytics", "WooCommerce Analytics › Orders", "WooCommerce 分析 › 订单")
    },
    Preset {
        signature: &["order number", "order status", "order date"],
        columns: &[
            (Role::OrderId, &["order number", "order id"]),
            (Role::Email, &["email (billing)", "billing email", "customer email"]),
            (Role::Phone, &["phone (billing)", "billing phone"]),
            (Role::Name, &["customer name", "full name (billing)", "billing name"]),
            (Role::OrderTime, &["order date"]),
            (Role::Amount, &["order total amount", "order total"]),
            (Role::Refund, &["order refund", "refund amount", "total refunded"]),
            (Role::Status, &["order status"]),
            (Role::Product, &["item name", "product name"]),
            (Role::Sku, &["sku"]),
            (Role::Quantity, &["quantity", "qty"]),
            (Role::UnitPrice, &["item cost"]),
            (
                Role::Region,
                &["state code (shipping)", "state (shipping)", "state code (billing)", "country code (billing)"],
            ),
            (Role::Currency, &["order currency", "currency"]),
        ],
        ..preset("woocommerce", "WooCommerce order export (plugin)", "WooCommerce 订单导出（插件）")
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
        ..preset("etsy_orders", "Etsy sold orders", "Etsy 已售订单")
    },
    Preset {
        signature: &["sale date", "item name", "buyer", "transaction id", "order id"],
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
        ..preset("etsy_items", "Etsy sold order items", "Etsy 已售商品明细")
    },
    Preset {
        signature: &["sales record number", "order number", "buyer username", "total price"],
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
            (Role::Region, &["buyer state", "ship to state", "buyer country"]),
        ],
        ..preset("ebay", "eBay orders report", "eBay 订单报告")
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
        ..preset("amazon", "Amazon All Orders report", "Amazon 全部订单报告")
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
        ..preset("invoice_lines", "Invoice lines (UCI Online Retail style)", "发票明细（UCI Online Retail 格式）")
    },
];

/// The preset used when no platform preset matches: roles come from the aliases alone.
pub static GENERIC: Preset = preset("generic", "Generic order list", "通用订单表（按列名识别）");

#[cfg(test)]
mod tests {
    use super::*;

    /// Every format has a name in each language of the page, and an id of its own.
    #[test]
    fn every_format_is_named_in_both_languages() {
        let all: Vec<&Preset> = PRESETS.iter().chain([&GENERIC]).collect();
        for p in &all {
            assert!(!p.label.is_empty() && p.label_zh != p.label, "{}", p.id);
            assert!(p.label_zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{}", p.id);
        }
        let mut ids: Vec<&str> = all.iter().map(|p| p.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), all.len());
    }
}
