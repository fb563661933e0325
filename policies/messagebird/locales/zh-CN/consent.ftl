# 同意文本：向用户征求同意时所显示的文字，以及 Cookie 横幅。
# 同意记录会保存所显示文本原文的哈希值，因此此处的任何改动都构成一个新的文本版本：
# 每条消息只表述其所征求的事项，用语平实。

## 针对某一目的的同意（每个以同意为法律依据的目的对应一条消息：`consent-<purpose>`）

consent-promote-services = 是的，请通过电子邮件向我发送有关 MessageBird 产品和活动的新闻及优惠信息。我可以随时通过每封邮件中的链接退订。
consent-product-information = 是的，请向我发送我所索取的产品信息，并就此通过电子邮件与我跟进。我可以随时退订。
consent-surveys = 是的，请邀请我参与有关 MessageBird 服务的调查。参与始终出于自愿。
consent-targeted-advertising = 是的，MessageBird 及其广告合作伙伴可以使用 Cookie 和类似技术，向我展示符合我兴趣的广告。
consent-website-analytics = 是的，MessageBird 可以衡量我对其网站的使用情况，以改进网站。
consent-saved-payment-methods = 保存此付款方式，供我以后付款时使用。仅保留识别该付款方式所需的信息，我可以随时在财务设置中将其删除。
consent-auto-recharge = 当我的余额低于我设定的金额时，自动为我充值。我可以随时在财务设置中关闭此功能。

## Cookie 横幅：第一层

banner-title = 您的 Cookie 选择
banner-intro = 我们使用严格必要 Cookie 来运行本网站。功能性 Cookie、性能 Cookie 和营销 Cookie 仅在您接受后才会使用。在您作出选择之前，我们不会放置任何其他内容；您可以随时在“Cookie 设置”中更改您的选择。
banner-accept-all = 全部接受
banner-reject-all = 全部拒绝
banner-adjust = 调整设置
banner-remove = 删除我的数据
banner-gpc = 您的浏览器正在发送 Global Privacy Control（全球隐私控制）信号：除非您自行开启，否则营销 Cookie 将保持关闭。
banner-removed = 您的 Cookie 选择以及我们所保存的与此浏览器相关的数据均已删除。
banner-notice-link = 阅读 Cookie 声明
banner-open = Cookie 设置

## Cookie 横幅：第二层

banner-settings-title = Cookie 设置
banner-settings-intro = 请选择我们可以使用哪些类型的 Cookie。您可以在每个类型下方了解接受该类型意味着什么，以及它涵盖哪些 Cookie。严格必要 Cookie 始终启用；我们尚未分类的 Cookie 将保持阻止状态。
banner-save = 保存我的选择
banner-back = 返回
banner-always-on = 始终启用
banner-blocked = 分类前已阻止
banner-name-strictly-necessary = 严格必要
banner-name-functional = 功能性
banner-name-performance = 性能
banner-name-marketing = 营销
banner-name-unclassified = 未分类
banner-no-cookies = 目前未使用此类 Cookie。
banner-browser-help = 您也可以在浏览器的设置中阻止或删除 Cookie。

## Cookie 列表

banner-table-cookie = Cookie
banner-table-provider = 提供商
banner-table-party = 设置方
banner-table-lifespan = 有效期
banner-table-hosted = 数据存储地
banner-table-purpose = 用途
banner-party-first = 本网站
banner-party-third = 第三方
banner-party-both = 本网站和第三方
banner-lifespan-session = 直至关闭浏览器
banner-lifespan-while-tracked = 在使用此工具衡量本网站期间
banner-lifespan-days = { $count ->
   *[other] { $count } 天
}
banner-lifespan-months = { $count ->
   *[other] { $count } 个月
}
banner-lifespan-years = { $count ->
   *[other] { $count } 年
}
