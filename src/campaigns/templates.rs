//! Names, goals and message templates of the playbook, in Chinese and English. Placeholders:
//! `{name}`, `{product}`, `{days}`, `{coupon}`, `{shop}`. The tone follows the playbook: care
//! messages carry no promotion, VIP messages no mass discount, reminders are short.

use super::Text;

/// (name, goal, template) of a campaign id.
pub fn texts(id: &str) -> (Text, Text, Text) {
    let (name, goal, template) = match id {
        "second_purchase" => (
            ("新客二次购买", "Second purchase for first-time buyers"),
            ("把只买过一次的顾客变成回头客", "Turn one-time buyers into returning customers"),
            (
                "{name}您好，感谢您在{shop}购买的{product}，用得还顺手吗？送您一张{coupon}回购券，下次选购时可用。",
                "Hi {name}, thank you for buying {product} at {shop} — is it working well for you? Here is a {coupon} voucher for your next order.",
            ),
        ),
        "wake_up" => (
            ("老客复购唤醒", "Wake up repeat buyers who went quiet"),
            ("让买过多次、最近沉默的老客回来", "Bring back customers who bought repeatedly but went quiet"),
            (
                "{name}您好，好久不见！您常买的{product}有新批次了，老客专享{coupon}，欢迎回来看看。",
                "Hi {name}, it has been a while! A fresh batch of {product} you like is in, with {coupon} off for returning customers.",
            ),
        ),
        "vip_care" => (
            ("大客户专属关怀", "VIP care for key accounts"),
            ("维护贡献最大的顾客：一对一联系，不群发折扣", "Keep the customers who matter most: personal contact, no mass discounts"),
            (
                "{name}您好，我是{shop}的店主。感谢您一直以来的支持，想听听您对我们产品的建议，也为您预留了新品的优先试用。",
                "Hi {name}, this is the owner of {shop}. Thank you for your loyal support — I would love your thoughts on our products, and I have set aside early access to our new items for you.",
            ),
        ),
        "cant_lose" => (
            ("高价值流失挽回", "Can't-lose-them outreach"),
            ("挽回消费高但正在流失的顾客", "Win back high spenders who are slipping away"),
            (
                "{name}您好，注意到您有{days}天没来了，是不是哪里没做好？非常希望听到您的意见，我们为您准备了一份心意。",
                "Hi {name}, we noticed it has been {days} days since your last visit — did we fall short somewhere? We would really like your feedback, and we have a small thank-you for you.",
            ),
        ),
        "replenishment" => (
            ("补货提醒", "Replenishment reminder"),
            ("在顾客快用完时提醒回购", "Remind customers when they are about to run out"),
            (
                "{name}您好，您上次购买的{product}差不多快用完了，需要的话可以直接在店里补货哦。",
                "Hi {name}, your {product} is probably running low — you can re-order it from our shop whenever you are ready.",
            ),
        ),
        "deal_seekers" => (
            ("促销型顾客会员日", "Member day for deal seekers"),
            ("用明确的优惠打动只在活动时购买的顾客", "Move promotion-driven buyers with clear offers"),
            (
                "{name}您好，本月会员日满减来了：{coupon}，只限老顾客，欢迎来选。",
                "Hi {name}, our member day is here: {coupon} for returning customers only.",
            ),
        ),
        "new_arrivals" => (
            ("新品优先推荐", "New arrivals by what they buy"),
            ("按购买偏好先把新品告诉老顾客", "Tell regular buyers first about new products like the ones they buy"),
            (
                "{name}您好，您喜欢的{product}同系列新品上架了，老顾客首周专享优先购买。",
                "Hi {name}, new products in the {product} range have arrived — returning customers get the first week.",
            ),
        ),
        "upgrade" => (
            ("会员升级提醒", "Membership upgrade nudge"),
            ("提醒快升级的顾客，还差多少就能享受更高等级权益", "Tell customers close to the next level what they are missing"),
            (
                "{name}您好，您离下一个会员等级只差一点点了，升级后可享受更多专属权益。",
                "Hi {name}, you are only a little away from the next membership level and its member benefits.",
            ),
        ),
        "post_order_care" => (
            ("下单后关怀", "Post-order care timeline"),
            ("发货、到达、签收、收货后各关怀一次，只关怀不推销", "Care on shipping, arrival, delivery and after — care only, no promotion"),
            (
                "{name}您好，您的{product}已经发出/到达，请注意查收。使用中有任何问题，随时找我们。",
                "Hi {name}, your {product} is on its way / has arrived. If anything is not right, just tell us.",
            ),
        ),
        "lost_last_try" => (
            ("流失客户最后一试", "Lost customers: one last try"),
            ("用一次低成本的联系试试，或不再打扰以节省成本", "One low-cost try, or leave them out to save sending costs"),
            (
                "{name}您好，好久不见，{shop}为老朋友准备了{coupon}，期待再次为您服务。",
                "Hi {name}, long time no see — {shop} has a {coupon} welcome-back offer for old friends.",
            ),
        ),
        _ => (("", ""), ("", ""), ("", "")),
    };
    (Text::new(name.0, name.1), Text::new(goal.0, goal.1), Text::new(template.0, template.1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn care_messages_do_not_promote() {
        let (_, _, t) = texts("post_order_care");
        for word in ["券", "折", "优惠", "coupon", "discount", "off"] {
            assert!(!t.zh.contains(word) && !t.en.contains(word), "{word}");
        }
        let (_, _, vip) = texts("vip_care");
        assert!(!vip.zh.contains("{coupon}") && !vip.en.contains("{coupon}"));
    }
}
