# 隐私声明的简体中文语句，译自源语言英文（en/statement.ftl）。
# 名称、数字、期限、地址、电子邮件主题和列表均来自政策文件，并以参数（{ $name }）的形式
# 进入这些语句；请勿将其直接写入文本。
# 司法管辖区对以下四个术语的用语始终可用：
#   { $personal-data }、{ $data-subject }、{ $controller }、{ $processor }
# （GDPR：个人数据、数据主体、数据控制者、数据处理者；新加坡和加利福尼亚的版本会替换这些术语。）

## 标题和日期

st-title = { $brand } 隐私声明
st-version-line = 版本 { $version }，自{ $effective }起生效。
st-last-updated = 最后更新日期：{ $date }。
st-keep-a-copy = 您可以下载本声明并保存副本；本声明的每个早期版本均可通过其各自的网址继续查阅。

## 1. 我们是谁

st-who-heading = 我们是谁以及本声明的适用范围
st-who-intro = { $controller }（地址：{ $address }）决定本声明所述{ $personal-data }的处理目的和处理方式。在本声明中，“我们”指 { $controller } 及其关联公司；“您”指相关数据所属的个人。
st-who-affiliates = 我们的关联公司包括 { $affiliates }。如果一家公司超过 { $percent }% 的表决权由我们或由持有我们表决权的公司持有，则该公司为我们的关联公司。
st-who-brands = 本声明适用于我们以 { $brands } 品牌提供的服务。
st-who-scope = 本声明适用于其数据由我们处理的所有人群：
st-who-equal = 无论居住在何处、国籍为何，我们对所有人都适用相同的标准，并依照适用的数据保护法律处理{ $personal-data }。

## 2. 角色

st-roles-heading = 何时由我们决定，何时由我们的客户决定
st-roles-controller = 就我们的客户、销售线索、网站访客以及与我们直接往来的其他人员的数据而言，我们以{ $controller }的身份行事：由我们决定这些数据的使用目的和使用方式。
st-roles-processor = 当我们的客户使用我们的服务与其自己的联系人沟通时，就这些数据而言，我们的客户是{ $controller }，我们则作为其{ $processor }行事：我们仅按照客户的指示使用这些数据，绝不将其用于我们自身的任何目的。
st-roles-processor-products = 在以下服务中，我们以这种方式代表客户行事：

## 3. 法律依据

st-bases-heading = 我们处理数据的法律依据
st-bases-intro = 我们仅在符合下列依据之一时处理{ $personal-data }：
st-bases-balancing = 当我们以正当利益为依据时，会首先将该利益与您的利益和权利进行权衡。如果处理会对您造成高风险、会涉及特殊类别的数据，或者您的基本权利优先于我们的利益，我们便不会以正当利益为依据。

## 4. 目的

st-purposes-heading = 我们为何使用{ $personal-data }
st-purposes-intro = 我们将{ $personal-data }用于以下目的，每项目的的法律依据列于括号内。
st-purpose-item = { $purpose }（{ $bases }）
st-basis-short-consent = 您的同意
st-basis-short-contract = 履行合同
st-basis-short-legal-obligation = 法律义务
st-basis-short-vital-interests = 重大利益
st-basis-short-public-task = 为公共利益执行任务
st-basis-short-legitimate-interest = 我们的正当利益

## 5. 数据

st-data-heading = 我们收集的{ $personal-data }
st-data-intro = 我们收集哪些数据，取决于您与我们往来的方式。
st-data-customers-heading = 客户、销售线索和网站访客
st-data-with-parts = { $category }：{ $parts }
st-data-end-users-heading = 与我们的客户沟通的人员
st-data-end-users-intro = 当客户使用我们的某项服务联系他人时，我们代表该客户处理这些人员的以下数据。
st-data-optional = { $held }；可选：{ $optional }
st-col-product = 服务
st-col-end-user-data = 所联系人员的数据
st-define-traffic-data = 流量数据是指为通过网络传送消息或通话或为其计费而处理的数据，例如所涉及的号码或地址、时间、时长和路由。
st-define-location-data = 位置数据是指在网络中处理的、显示用户设备所在位置的数据，例如传送某条消息的蜂窝小区或网络。

## 6. 来源

st-sources-heading = 数据的来源
st-sources-intro = 我们从以下来源获取{ $personal-data }：
st-source-with-providers = { $source }（例如 { $providers }）

## 7. 共享

st-sharing-heading = 我们与谁共享{ $personal-data }
st-sharing-intro = 我们仅与以下 { $count } 类接收方共享{ $personal-data }，且仅以各方所需为限：
st-sharing-psps = 付款由 { $psps } 处理，这些机构自行决定如何使用付款数据。
st-sharing-affiliates = 我们的关联公司仅为提供或支持您所使用的服务而接收{ $personal-data }，并遵循与本声明相同的标准。
st-sharing-no-sale = 我们不会为换取金钱或其他任何有价值之物而出售、出租或以其他方式提供{ $personal-data }。
st-gov-heading = 公共机关的请求
st-gov-intro = 我们仅在法律要求时才向公共机关披露{ $personal-data }。
st-gov-tests = 我们仅在满足下列 { $count } 项条件时，才会考虑相关请求：
st-gov-test-authority = 请求来自政府机关。
st-gov-test-jurisdiction = 请求在其法律适用于我们的司法管辖区内发出。
st-gov-test-instrument = 请求采用可强制执行的法律文书形式，例如传票、搜查令或法院命令。
st-gov-test-scope = 请求列明了所要求的数据类别和具体期间。
st-gov-test-obligation = 我们负有遵从该请求的法律义务。
st-gov-notify = 除非法律明确禁止，否则我们会将该请求告知相关客户。
st-gov-gag = 如果公共机关禁止我们告知客户，则必须说明该禁令的法律依据。
st-gov-push-back = 如有合理的法律依据对请求提出异议，我们会提出异议。

## 8. 国际传输

st-transfers-heading = 向欧洲经济区以外传输数据
st-transfers-intro = 我们的部分服务提供商在欧洲经济区以外处理{ $personal-data }。每项此类传输均以下列保障措施之一为依据：
st-transfer-adequacy = 欧盟委员会认定相关国家能够为{ $personal-data }提供充分保护的决定。
st-transfer-scc = 欧盟委员会通过的标准合同条款。
st-transfer-bcr = 经数据保护机构批准的有约束力的公司规则。
st-transfer-dpf = 接收方根据欧盟—美国数据隐私框架获得的认证。
st-transfers-assessment = 在进行此类传输之前，我们会评估目的地国家的法律和实践；如评估表明有必要，我们还会采取额外的技术和组织措施。

## 9. 安全

st-security-heading = 我们如何保护{ $personal-data }
st-security-intro = 我们通过技术和组织措施保护{ $personal-data }，其中包括：
st-security-certifications = 我们的安全管理已通过 { $certifications } 认证。
st-security-report = 如果您认为您的登录信息被盗或被滥用，请立即发送电子邮件至 { $email }，并以“{ $subject }”作为邮件主题。

## 10. 保留

st-retention-heading = 我们保留{ $personal-data }的期限
st-retention-intro = 我们保留{ $personal-data }的时间不会超过实现其目的所需的时间，也不会超过法律要求的时间：
st-col-data = 数据
st-col-kept = 保留期限
st-retention-period-from = 自{ $from }起保留 { $period }。
st-from-collection = 我们收集数据之时
st-from-last-interaction = 您最后一次与我们互动之时
st-from-contract-end = 合同终止之时
st-from-request-closed = 请求办结之时
st-from-consent-event = 给予或撤回同意之时
st-from-tracking-ends = 跟踪结束之时
st-from-cookie-lifespan = 设置该 Cookie 之时
st-until-collection = 收集后立即删除。
st-until-last-interaction = 保留至您最后一次与我们互动之时。
st-until-contract-end = 在合同有效期内保留。
st-until-request-closed = 保留至请求办结之时。
st-until-consent-event = 保留至撤回同意之时。
st-until-tracking-ends = 保留至跟踪结束之时。
st-until-cookie-lifespan = 在每个 Cookie 的有效期内保留，具体期限见 Cookie 列表。
st-retention-max = 如签约公司所在国家或接收网络所在国家的法律有此要求，最长可保留 { $max }。
st-retention-customer-setting = 客户可在 { $min }至 { $max }之间另行设定保留期限。
st-retention-existing-customers = 对于现有客户，在我们提供服务期间保留。
st-retention-ends-early = 一旦您撤回同意或退订，保留即告终止。
st-retention-after = 期限届满后，我们会删除相关数据，或仅以无法再识别任何人的形式保留这些数据，用于存档和统计。

## 11. 权利

st-rights-heading = 您的权利
st-rights-intro = 您有权：
st-rights-how-heading = 如何行使您的权利
st-rights-channel-account-holders = { $brands } 账户持有人：{ $channel }。
st-rights-channel-others = 其他所有人：{ $channel }（{ $address }）。
st-rights-deadline = 我们会在收到您的请求后 { $deadline }内予以答复。
st-rights-extension = 如果请求较为复杂或我们收到的请求较多，我们可能需要更长的时间，但自收到请求之日起总计不会超过 { $extended }；如需延长期限，我们会在最初的期限内告知您并说明原因。
st-rights-fee = 我们可能收取费用，但最多不超过 { $amount }。
st-rights-free = 行使您的权利无需支付任何费用。
st-rights-verify = 在处理请求之前，我们会核实请求是否确由相关人员本人提出，以防他人获取您的数据。
st-rights-complaint = 如果您对我们的答复不满意，可以向 { $authority } 投诉，也可以向以下国家的数据保护机构投诉：您居住或工作的国家，或您认为自身权利受到侵犯的国家。
st-rights-complaint-any = 如果您对我们的答复不满意，可以向您居住地、工作地或您认为权利受到侵犯之地所在国家的数据保护机构投诉。
st-attention = 收件部门：{ $department }

## 12. Cookie

st-cookies-heading = Cookie 和类似技术
st-cookies-intro = 我们的网站使用 Cookie。您首次访问时，我们会询问您接受哪些 Cookie；严格必要 Cookie 始终启用，其他所有类型的 Cookie 在您启用之前均处于关闭状态。拒绝全部 Cookie 与接受全部 Cookie 同样简便，您也可以随时更改您的选择。
st-cookie-category = { $consent }：{ $category }
st-consent-always-on = 始终启用
st-consent-opt-in = 仅在您同意后启用
st-consent-opt-out = 默认启用，除非您将其关闭
st-consent-blocked = 已阻止
st-cookie-category-name-strictly-necessary = 严格必要
st-cookie-category-name-functional = 功能性
st-cookie-category-name-performance = 性能
st-cookie-category-name-marketing = 营销
st-cookie-category-name-unclassified = 未分类
st-cookies-inventory = 以下是我们使用的 Cookie 及其各自的保留期限：
st-col-cookie = Cookie
st-col-provider = 设置方
st-col-category = 类别
st-col-party = 第一方或第三方
st-col-lifespan = 保留期限
st-col-purpose = 用途
st-party-first = 第一方
st-party-third = 第三方
st-party-both = 第一方和第三方
st-lifespan-session = 直至您关闭浏览器
st-lifespan-while-tracked = 在该工具跟踪您访问期间
st-cookies-choices = 您也可以在浏览器的设置中阻止或删除 Cookie：
st-browser-chrome = Google Chrome：设置 > 隐私和安全 > 第三方 Cookie
st-browser-firefox = Mozilla Firefox：设置 > 隐私与安全 > Cookie 和网站数据
st-browser-safari = Safari：设置 > 隐私 > 管理网站数据
st-browser-edge = Microsoft Edge：设置 > Cookie 和网站权限

## 13. 儿童

st-children-heading = 儿童
st-children-age = 我们的服务并非面向未满 { $age } 岁的儿童，我们也不会在知情的情况下收集儿童的数据。如果我们获悉自己持有未经父母或监护人同意的儿童数据，我们将尽快予以删除。
st-children-report = 如果您认为我们持有儿童的数据，请发送电子邮件至 { $email }，并以“{ $subject }”作为邮件主题。

## 14. 链接

st-links-heading = 指向其他网站的链接
st-links-body = 我们的网站和消息可能包含指向非我们所有或控制的网站的链接。本声明不适用于这些网站；请阅读您所访问的每个网站的隐私声明。

## 新加坡和加利福尼亚

st-pdpa-heading = 如果您位于新加坡
st-pdpa-body = 根据新加坡《2012 年个人数据保护法》，本声明中的术语应按以下方式理解：
st-ccpa-heading = 如果您是加利福尼亚州居民
st-ccpa-body = 根据《加州消费者隐私法》，本声明中的术语应按以下方式理解：
st-ccpa-categories = 在过去十二个月内，我们出于上文所述的目的、从上文所述的来源收集了以下类别的{ $personal-data }：
st-ccpa-no-sale = 我们不会出售或共享{ $personal-data }（“出售”和“共享”均按该法的定义理解），在过去十二个月内也从未这样做。
st-ccpa-non-discrimination = 我们不会因您行使权利而区别对待您：您不会因为行使这些权利而被拒绝提供服务、被收取不同的价格或获得不同质量的服务。
st-term-means = “{ $ours }”指“{ $theirs }”。

## 15. 变更

st-changes-heading = 本声明的变更
st-changes-email = 如果我们对本声明的变更会对您的权利产生重大影响，我们会在可能的情况下，于变更生效前通过电子邮件通知您。
st-changes-where-possible = 如果我们对本声明的变更会对您的权利产生重大影响，我们会在可能的情况下，于变更生效前通知您。如果您不同意某项变更，可以停止使用我们的服务。
st-changes-publication = 我们可能会更改本声明；本声明顶部的日期显示其最后一次更改的时间。
st-changes-notice-period = 我们至少会在此类变更生效前 { $days } 天予以公布。
st-changes-versions = 本声明的每个早期版本都将继续可供查阅，并附有变更内容摘要。

## 16. 争议

st-disputes-heading = 争议
st-disputes-body = 如果您就我们处理{ $personal-data }的方式与我们发生争议，请发送电子邮件至 { $email } 联系我们的法务团队，并以“{ $subject }”作为邮件主题。如果双方无法通过电子邮件共同解决争议，则适用我们条款中的争议解决条款。

## 17. 分处理者

st-subprocessors-heading = 我们的分处理者
st-subprocessors-intro = 以下服务提供商代表我们处理{ $personal-data }，并受合同约束，须遵守我们的指示并提供同等程度的保护：
st-col-name = 名称
st-col-service = 为我们提供的服务
st-col-country = 国家/地区
st-col-transfer = 跨境传输保障措施
st-transfer-short-adequacy = 充分性认定
st-transfer-short-scc = 标准合同条款
st-transfer-short-bcr = 有约束力的公司规则
st-transfer-short-dpf = 数据隐私框架
st-transfer-none = 无需（位于欧洲经济区内）
st-subprocessors-subscribe = 您可以订阅通知，以便在我们新增或更换分处理者之前通过电子邮件获知，并可对该变更提出反对。

## 18. 联系方式

st-contact-heading = 如何联系我们
st-contact-intro = 如有任何与{ $personal-data }相关的事宜，请联系：
st-contact-item = { $contact }：{ $email }
st-contact-post = 邮寄地址：{ $address }。
st-contact-local = 我们在{ $countries }也设有当地地址。

## 国家

st-country-au = 澳大利亚
st-country-ca = 加拿大
st-country-cn = 中国
st-country-co = 哥伦比亚
st-country-de = 德国
st-country-gb = 英国
st-country-ie = 爱尔兰
st-country-mt = 马耳他
st-country-nl = 荷兰
st-country-sg = 新加坡
st-country-us = 美国

## 期限、日期和列表

st-period-none = 0 天
st-period-years = { $n } 年
st-period-months = { $n } 个月
st-period-weeks = { $n } 周
st-period-days = { $n } 天
st-month-1 = 1月
st-month-2 = 2月
st-month-3 = 3月
st-month-4 = 4月
st-month-5 = 5月
st-month-6 = 6月
st-month-7 = 7月
st-month-8 = 8月
st-month-9 = 9月
st-month-10 = 10月
st-month-11 = 11月
st-month-12 = 12月
st-date = { $year }年{ $month }{ $day }日
st-list = { $init }和{ $last }
st-list-separator = {"、"}
st-sentence-separator = {""}
st-address-separator = {"，"}
