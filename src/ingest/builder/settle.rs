//! Settling orders once every file is read: status, gross and refunds per DESIGN.md's
//! definitions, item-report lines joined to their orders, and the import report completed.

use super::{Builder, Flags};
use crate::calendar::{self, Timestamp};
use crate::ingest::columns::Role;
use crate::ingest::report::{FileReport, ImportReport, Note, Shown, SkipExample, SkipReason, EXAMPLES_PER_REASON};
use crate::model::{Credit, Dataset, Line, Lines, Status, NONE, NO_CUSTOMER};
use crate::money::Money;

impl Builder {
    /// Turns drafts into the dataset and completes the report.
    pub fn finish(mut self, files: Vec<FileReport>, key_role: Option<Role>) -> (Dataset, ImportReport) {
        let mut report = ImportReport::default();
        // Join item-report lines to their orders.
        let mut files = files;
        for p in std::mem::take(&mut self.pending) {
            match self.order_ids.find(&p.order_id) {
                Some(idx) if !self.drafts[idx as usize].flags.has(Flags::DROPPED) => {
                    self.named.name_product(idx, &mut self.spill, p.product);
                    if p.product != NONE {
                        self.lines.push(Line {
                            order: idx,
                            product: p.product,
                            quantity: p.quantity,
                            amount: p.amount,
                        });
                    }
                }
                _ => {
                    let f = &mut files[p.file as usize];
                    f.rows_used -= 1;
                    *f.skipped.entry(SkipReason::NoMatchingOrder).or_insert(0) += 1;
                    if f.skipped[&SkipReason::NoMatchingOrder] as usize <= EXAMPLES_PER_REASON {
                        let id = String::from_utf8_lossy(&p.order_id);
                        let shown = Shown::Cell(&id);
                        self.examples.push(SkipExample::new(SkipReason::NoMatchingOrder, &f.name, p.line, None, shown));
                    }
                }
            }
        }

        // First lines left unlisted are the orders' implied lines: all of them when no line was
        // listed (an order report), else listed now beside the others.
        let unlisted =
            |d: &&super::Draft| d.flags.has(Flags::FIRST_LINE_UNLISTED) && !d.flags.has(Flags::FIRST_LINE_LISTED);
        let all_implied = self.lines.is_empty();
        if !all_implied {
            for (i, d) in self.drafts.iter().enumerate().filter(|(_, d)| unlisted(d)) {
                let i = i as u32;
                let (product, quantity) = (self.named.first_product(i, &self.spill), d.items(i, &self.spill));
                self.lines.push(Line { order: i, product, quantity, amount: Money::ZERO });
            }
        }

        // The order ids are not needed any more: free them before the orders are laid out.
        drop(std::mem::take(&mut self.order_ids));
        let mut data = std::mem::take(&mut self.data);
        for names in [&mut data.customers, &mut data.products, &mut data.regions] {
            names.freeze();
        }
        data.contacts.freeze();
        data.customer_key = key_role;
        // At most one order per draft: reserved exactly, the columns never grow by doubling.
        data.orders.reserve(self.drafts.len());
        // Each draft's order, for the listed lines to follow: none are listed in an order report or
        // a `customer,date,amount` file, whose 3.9 million drafts in 100 MB made this 15.5 MB of the
        // settling's peak.
        let mut new_index = if all_implied { Vec::new() } else { vec![u32::MAX; self.drafts.len()] };
        // Returned money in draft order, walked beside the drafts.
        let mut returns = std::mem::take(&mut self.returns);
        returns.sort_unstable_by_key(|&(draft, _)| draft);
        let mut returns = returns.into_iter().peekable();
        // Refunds too, kept in draft order, at most one a draft.
        let mut refunds = std::mem::take(&mut self.refunds).into_iter().peekable();
        // Orders per status, counted by the status's number: a map entry per order compared its
        // name with the map's keys (wasm's `memcmp` goes byte by byte), 19–29 ms of settling the
        // 100 MB `customer,date,amount` file's 3.9 million orders in Node's wasm.
        let mut by_status = [0u64; Status::ALL.len()];
        // Whether any draft names a product or region (a `customer,date,amount` file's do not).
        let named = !self.named.is_empty();
        for (i, d) in self.drafts.iter().enumerate() {
            let refund = refunds.next_if(|&(draft, _)| draft as usize == i).map_or(Money::ZERO, |(_, r)| r);
            let mut returned = Money::ZERO;
            while let Some((_, m)) = returns.next_if(|&(draft, _)| draft as usize == i) {
                returned += m;
            }
            if d.flags.has(Flags::DROPPED) {
                continue;
            }
            // Every kept draft has its time: an ambiguous date left unsettled dropped its rows.
            let time = Timestamp::from(d.time);
            if returned.is_positive() {
                report.credit_notes += d.flags.has(Flags::CREDIT_NOTE) as u64;
                if d.customer == NO_CUSTOMER {
                    report.credit_notes_without_customer += d.flags.has(Flags::CREDIT_NOTE) as u64;
                }
                if d.customer != NO_CUSTOMER || key_role.is_none() {
                    data.credits.push(Credit { customer: d.customer, time, amount: returned });
                }
            }
            if d.flags.has(Flags::CREDIT_NOTE) || !d.flags.has(Flags::SALE_LINE) {
                continue;
            }
            let (status, gross, refund) = d.settle(i as u32, &self.spill, refund, self.rules_of(i));
            let has_customer = d.customer != NO_CUSTOMER;
            let valid = status.is_sale() && !gross.is_negative() && (has_customer || key_role.is_none());
            if let Some(n) = new_index.get_mut(i) {
                *n = data.orders.len() as u32;
            }
            let o = &mut data.orders;
            o.customer.push(d.customer);
            o.time.push(d.time);
            o.gross.push(gross);
            o.refund.push(refund);
            let draft = i as u32;
            o.items.push(d.items(draft, &self.spill));
            if named {
                o.first_product.push(self.named.first_product(draft, &self.spill));
                o.region.push(self.named.region(draft, &self.spill));
            } else {
                o.first_product.push(NONE);
                o.region.push(NONE);
            }
            o.valid.push(valid);
            report.orders += 1;
            report.valid_orders += valid as u64;
            report.orders_without_customer += !has_customer as u64;
            by_status[status as usize] += 1;
        }
        for (status, &n) in Status::ALL.iter().zip(&by_status).filter(|(_, &n)| n > 0) {
            report.orders_by_status.insert(status.name(), n);
        }
        let mut lines = std::mem::take(&mut self.lines);
        lines.filter_map(|mut l| {
            let n = *new_index.get(l.order as usize)?;
            (n != u32::MAX).then(|| {
                l.order = n;
                l
            })
        });
        drop(new_index);
        // The drafts are done with: free them before the orders are grouped by customer.
        drop(std::mem::take(&mut self.drafts));
        drop(std::mem::take(&mut self.spill));
        drop(std::mem::take(&mut self.named));
        let from = data.orders.group_by_customer(data.customers.len());
        // Where each order went, for the lines; freed, as `from` is, before the lines are sorted.
        let moved_to = (!lines.is_empty()).then(|| {
            let mut moved_to = vec![0u32; from.len()];
            for (k, &i) in from.iter().enumerate() {
                moved_to[i as usize] = k as u32;
            }
            moved_to
        });
        drop(from);
        if let Some(moved_to) = moved_to {
            lines.filter_map(|mut l| {
                l.order = moved_to[l.order as usize];
                Some(l)
            });
            drop(moved_to);
            // In step with the orders: the sections reading a line's order then read the order
            // columns in turn, not at random places (a cache miss a line on a large file).
            lines.sort_by_order();
        }
        // A line without a price of its own in a one-line order carries the order's amount
        // (order-level exports: Taobao's 订单报表, generic lists), so product revenue is not zero.
        if !lines.is_empty() {
            let gross = data.orders.gross.values();
            let mut lines_per_order = vec![0u32; data.orders.len()];
            for l in lines.iter() {
                lines_per_order[l.order as usize] += 1;
            }
            lines.filter_map(|mut l| {
                if { l.amount } == Money::ZERO && lines_per_order[l.order as usize] == 1 {
                    l.amount = gross.get(l.order as usize);
                }
                Some(l)
            });
        }
        data.lines = if all_implied { Lines::implied(&data.orders) } else { Lines::new(lines, &data.orders) };
        if self.currencies.len() == 1 {
            data.currency = self.currencies.first().cloned();
        }
        report.currency = data.currency.clone();
        if self.currencies.len() > 1 {
            report.notes.push(Note::new(
                "mixed_currencies",
                format!("The files mix currencies ({}); amounts are added as they are.", self.currencies.join(", ")),
                format!("这些文件混有多种货币（{}）；金额按原样相加。", self.currencies.join("、")),
            ));
        }

        let valid_times =
            data.orders.time.iter().zip(&data.orders.valid).filter(|(_, v)| **v).map(|(&t, _)| Timestamp::from(t));
        let (first, last) = valid_times.fold((None, None), |(lo, hi): (Option<i64>, Option<i64>), t| {
            (Some(lo.map_or(t, |l| l.min(t))), Some(hi.map_or(t, |h| h.max(t))))
        });
        report.first_order = first.map(calendar::format_date);
        report.last_order = last.map(calendar::format_date);
        report.unrecognized_statuses = self.unknown_statuses;
        report.skipped_examples = self.examples;
        for f in &files {
            report.rows_read += f.rows_read;
            report.rows_used += f.rows_used;
            for (r, n) in &f.skipped {
                *report.skipped.entry(*r).or_insert(0) += n;
            }
        }
        report.customer_key = key_role;
        (data, finish_report(report, files))
    }
}

fn finish_report(mut report: ImportReport, files: Vec<FileReport>) -> ImportReport {
    if let Some(first) = files.iter().find(|f| !f.lines_only).or(files.first()) {
        report.format = first.format.clone();
        report.mapping = first.mapping.clone();
        report.encoding = first.encoding.clone();
    }
    if files.iter().any(|f| f.encoding != report.encoding) {
        report.encoding = "mixed".to_string();
    }
    if report.customer_key.is_none() {
        report.notes.push(Note::new(
            "no_customer_key",
            "The file has no buyer column (buyer account, email, phone or name), so customers, repeat purchases and segments cannot be computed; order totals are shown. Export the orders with the buyer column, or map one.",
            "文件里没有买家列（买家账号、邮箱、电话或姓名），所以无法计算客户数、复购和分群；下面只显示订单合计。请导出带买家列的订单，或在列的对应中指定一列。",
        ));
    }
    let keys: Vec<Option<Role>> = files.iter().filter(|f| !f.lines_only).map(|f| f.customer_key).collect();
    if keys.windows(2).any(|w| w[0] != w[1]) {
        report.notes.push(Note::new(
            "mixed_customer_keys",
            "The files identify customers by different columns; the same buyer may be counted twice.",
            "这些文件用不同的列识别客户；同一位买家可能被算成两位。",
        ));
    }
    let (keyed, masked) = files.iter().fold((0, 0), |(k, m), f| (k + f.keyed_rows, m + f.masked_keys));
    if masked * 2 > keyed && report.customer_key.is_some() {
        report.notes.push(Note::new(
            "masked_customer_keys",
            "The platform masks buyer details in this export (e.g. 138****1111); buyers who share a masked value are counted as one customer, so customer and repeat figures are approximate.",
            "平台在这份导出里隐去了买家信息（例如 138****1111）；隐去后相同的买家会被算作同一位客户，所以客户数和复购数字是近似值。",
        ));
    }
    let gbk: u64 = files.iter().map(|f| f.cells_decoded_as_gb18030).sum();
    if gbk > 0 {
        report.notes.push(Note::new(
            "mixed_encoding",
            format!("{gbk} cells were not UTF-8 and were read as GBK/GB18030 (the file mixes encodings)."),
            format!("有 {gbk} 个单元格不是 UTF-8，已按 GBK/GB18030 读取（文件混用了编码）。"),
        ));
    }
    if !report.unrecognized_statuses.is_empty() {
        let list: Vec<&str> = report.unrecognized_statuses.keys().take(5).map(|s| s.as_str()).collect();
        report.notes.push(Note::new(
            "unrecognized_statuses",
            format!("Some status values are not known and their orders were counted as sales: {}.", list.join(", ")),
            format!("有些订单状态无法识别，这些订单按成交计算：{}。", list.join("、")),
        ));
    }
    report.files = files;
    report
}
