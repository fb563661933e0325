# MessageBird 政策的简体中文消息，译自源语言英文。
# 每个条目标识对应一条消息，由声明该条目的所有版本共用。品牌、产品、供应商和法律的名称，
# 以及期限、地址和电子邮件主题，均由政策文件保存，此处不再重复。

## 数据主体

subject-customer = 客户和潜在客户，即代表其公司行事的账户持有人
subject-end-user = 终端用户：我们的客户通过我们的服务与之沟通的人员
subject-website-visitor = 我们网站的访客
subject-lead = 销售线索：可能成为客户的公司中的人员
subject-colleague = 代表客户共享或管理相关信息的客户同事
subject-support-caller = 致电我们客户支持团队的人员
subject-event-attendee = 参加我们活动的人员
subject-cardholder = 用于向我们付款的卡和账户的持有人
subject-customer-agent = 在客户的收件箱中处理会话的客服人员
subject-guest = 受邀参加视频会议的来宾

## 数据类别：客户、销售线索和访客

data-personal-identifiers = 个人标识符
data-name = 姓名
data-business-address = 营业地址
data-gender = 性别
data-signature = 签名
data-professional-information = 就业和职业信息
data-job-title = 职位名称和角色
data-employer = 个人所任职的公司
data-company-details = 公司详细信息，例如名称、简介、网站、预估收入、员工人数和所属行业
data-seniority = 职级
data-linkedin-profile = LinkedIn 个人资料
data-financial-information = 财务信息
data-billing-details = 账单信息：账单名称、账单地址和首选付款方式
data-bank-details = 银行账户信息
data-card-details = 支付卡信息
data-invoices = 发票
data-commercial-information = 商业信息
data-product-interest = 对我们产品的兴趣
data-service-usage = 对我们的服务、平台、账户仪表板和网站的使用情况
data-activity-data = 通过连接器接收的联系人数据、活动数据和事件数据
data-internet-activity = 互联网活动信息
data-device-information = 设备和浏览器信息，包括语言和时区设置
data-browsing-activity = 浏览活动：访问的页面及其顺序、搜索、访问时长、页面交互和错误
data-cookie-data = 通过 Cookie、像素标签和类似技术收集的数据
data-cookie-preferences = Cookie 偏好设置
data-location-information = 位置相关信息
data-location-data = 位置相关数据，可显示通信设备或其携带者所在的位置
data-support-interactions = 客户支持互动信息
data-support-call-recording = 与我们客户支持团队的通话录音
data-credentials = 登录凭据：用户名和密码
data-phone-number = 电话号码
data-email-address = 电子邮件地址
data-ip-address = IP 地址
data-customer-account-data = 客户账户和潜在客户信息
data-account-id = 分配给客户账户的账户标识符
data-enquiry-content = 通过我们的表单提交的咨询内容
data-api-token = 用于识别客户 API 请求的身份验证令牌
data-api-commands = 发送至我们 API 的命令，以及 IP 地址、使用情况和路由信息
data-campaign-details = 消息活动的用途和消息样本，在各国办理注册时需要提供
data-website-visitor-data = 网站访客信息
data-account-information = 用户的个人数据和账户信息
data-order-records = 订单记录
data-membership-records = 会员记录
data-visit-location = 网站访问所在的国家和城市

## 数据类别：终端用户

data-end-user-data = 终端用户数据
data-channel-id = 消息渠道为个人分配的标识符
data-traffic-data = 传输通信所需的通信流量数据
data-communication-content = 通信内容
data-recordings = 通话录音
data-preferred-channel = 首选沟通渠道
data-channel-data = 特定于某项服务或渠道的数据
data-demographic-data = 客户提供的人口统计数据和细分数据
data-customer-agent-data = 使用收件箱的客服人员的相关数据
data-meeting-information = 会议信息
data-meeting-date = 会议日期
data-meeting-description = 会议说明
data-meeting-review = 会议评价
data-meeting-wrap-up = 会后总结记录
data-meeting-recording = 会议录音或录像

## 数据类别：合规记录

data-consent-proof = 已给予同意的证明
data-withdrawal-proof = 已撤回同意的证明
data-request-confirmation = 数据保护请求的确认电子邮件

## 产品和服务

product-sms = 向手机发送和从手机接收的短信
product-voice = 通过我们的平台拨打和接听的电话，可选通话录音
product-email = 为客户提供的电子邮件发送和投递服务，可跟踪打开和点击情况
product-numbers = 电话号码、短代码和 Numbers API，与其他服务配合使用
product-inbox = 共享收件箱，客服人员可在其中处理跨渠道的会话
product-flow-builder = 用于构建自动化通信流程的工具
product-video = 客户与其来宾之间的视频会议
product-omnichannel-widget = 网站小组件，终端用户可通过它在其首选渠道上发起会话
product-conversations = 消息渠道和社交网络上的会话
product-push-notifications = 面向应用和浏览器的实时通道和推送通知
product-cdp = 为客户的联系人建立档案的客户数据平台
product-contacts = 客户联系人的在线通讯录
product-transmission-history = 有关客户通信使用情况和传输历史的分析洞察
product-customer-account = 客户用于访问我们服务的账户
product-financial-records = 客户的付款、账单和发票记录
product-leads = 有关潜在客户及其对我们服务的兴趣的信息
product-website-visitors = 有关我们网站访问情况的信息
product-support-interactions = 与我们客户支持团队的通话和联系

## 法律依据

basis-consent = 您明确给予的同意，例如在下载产品资料前勾选复选框
basis-contract = 履行合同，包括在服务开始前协商和签订合同
basis-legal-obligation = 遵守我们的法律义务，例如防止滥用我们的服务、配合正式的披露请求以及保存账户和财务记录
basis-legitimate-interest = 我们的正当利益，例如向可选择退出的现有客户进行直接营销，或让您及时了解我们的服务

## 目的

purpose-promote-services = 用于推广我们的服务，并尊重您所做的营销选择
purpose-product-information = 用于在与您相关时向您介绍我们的产品和服务
purpose-create-account = 用于为您及您所任职的公司开设账户
purpose-verify-identity = 用于确认您的身份
purpose-provide-services = 用于提供我们的服务并授予访问权限
purpose-finance-billing = 用于处理财务和账单事宜
purpose-financial-obligations = 用于履行我们的财务义务，例如缴纳税款和确保发票得到支付
purpose-customer-support = 用于为客户和潜在客户提供帮助，并让他们及时了解其账户情况
purpose-analyze-usage = 用于分析我们的产品和服务的使用情况
purpose-transmission = 用于传递通信、确定其优先级和路由方式，并优化我们的基础设施
purpose-enforce-terms = 用于确保我们的条款和法律得到遵守
purpose-account-security = 用于保护我们的网站和您的账户免受安全威胁
purpose-fraud-prevention = 用于发现、制止和预防欺诈及其他违法活动
purpose-protect-rights = 用于保障我们以及我们的客户和第三方的权利、财产和安全
purpose-legal-requirements = 用于遵守法律，包括法院命令、传票和其他具有约束力的要求
purpose-surveys = 用于开展有助于我们改进服务的问卷和调查；参与始终出于自愿
purpose-training-quality = 用于培训我们的员工并提高我们的工作质量
purpose-improve-services = 用于改进我们的产品和服务并开发新功能
purpose-personalisation = 用于为您量身定制我们的服务，并推荐可能适合您的内容
purpose-crm-records = 用于使我们的客户关系记录保持最新、完整并得到分析
purpose-lead-enrichment = 用于以商业信息丰富销售线索和客户档案，以便我们只联系相关的销售线索和客户
purpose-country-registration = 用于申请部分国家在允许向其发送消息前所要求的许可，并向其主管机关提供所需信息
purpose-targeted-advertising = 用于通过广告平台展示相关广告
purpose-website-analytics = 用于衡量我们网站的使用情况并加以改进
purpose-website-operation = 用于使我们的网站正常运行并记住您的选择
purpose-saved-payment-methods = 用于应您的要求保存付款方式，以供日后使用
purpose-auto-recharge = 用于在您的余额低于您设定的阈值时自动充值
purpose-connectors = 用于运行将我们的服务与您所选第三方服务相连接的连接器，且仅限于此
purpose-consent-records = 用于证明相关人员所做的同意决定
purpose-rights-requests = 用于处理数据保护请求，并证明这些请求已得到履行
purpose-administer-orders = 用于管理客户订单和账户
purpose-membership-records = 用于保存会员记录

## 来源

source-direct = 您本人：当您填写表单、注册、联系我们、参加活动或使用我们的服务时
source-customer-supplied = 我们的客户：他们为使用我们的服务而向我们发送其终端用户的数据
source-business-information = 提供商业信息的第三方
source-social-media = 社交媒体提供商，取决于相关人员的隐私设置
source-connectors = 通过连接器与我们平台相连的第三方服务
source-colleagues = 相关人员的同事
source-automatic = 由 Cookie、像素标签、网络信标和服务器日志自动收集
source-enrichment = 通过自动化流程建立商业档案的数据丰富服务提供商
source-public-sources = 公开来源
source-linked-account = 您在注册时关联的第三方账户，该账户会共享您的基本个人资料

## 接收方

recipient-telecom = 负责路由消息和通话的电信运营商、聚合商、承载商及其他通信服务提供商
recipient-service-providers = 代表我们开展工作的服务和技术提供商，例如托管、分析、数据科学和欺诈预防服务提供商
recipient-psps = 支付服务提供商，作为独立的数据控制者处理付款
recipient-affiliates = 我们集团内的公司
recipient-authorities = 法律要求时的政府机关

## 数据处理者：各自提供的服务

processor-adyen = 支付服务提供商
processor-atlassian = 协作、软件开发和问题跟踪
processor-autopilot = 营销自动化
processor-claranet = 托管
processor-clearbit = 增长服务：用于丰富销售线索和客户档案的商业信息
processor-cloudapp = 屏幕录制
processor-docusign = 电子签名
processor-exact-online = 会计和财务
processor-google-cloud-platform = 云托管
processor-google-g-suite = 云办公服务
processor-hotjar = 行为分析
processor-interswitch = 用于客户支持的溢出呼叫中心
processor-linkedin = 招聘和销售解决方案
processor-looker = 商业智能和分析
processor-mailchimp = 电子邮件自动化
processor-netsuite = 财务软件
processor-salesforce = 客户关系管理
processor-segment = 数据集成和分析
processor-sift-science = 欺诈预防和检测
processor-sparkpost = 电子邮件投递
processor-split-io = 功能发布平台
processor-springcm = 合同管理
processor-stripe = 支付服务提供商
processor-thrive-digital = 营销自动化
processor-tray-io = 增长服务：集成和自动化
processor-unit4-multivers = 会计和财务
processor-workramp = 学习管理
processor-zapier = 工作流自动化
processor-zendesk = 客户支持

## 为已保存的付款方式保留的付款字段

payment-field-card-last-four = 卡号后四位
payment-field-card-expiry = 卡的有效期
payment-field-cardholder-name = 持卡人姓名
payment-field-iban-bic = IBAN 和 BIC
payment-field-account-name = 账户持有人姓名
payment-field-paypal-email = PayPal 账户的电子邮件地址

## 保留：各项规则涵盖的内容及原因

retention-sms-voice = SMS 和 Voice 通信流量数据，保留用于保障我们服务的安全并防止滥用、传输消息以及协助主管机关处理正式请求；部分司法管辖区要求更长的保留期限
retention-communications = 我们通信服务的数据，例如租用的电话号码、电子邮件地址、位置信息和消息内容，保留用于防止滥用以及答复刑事调查中的正式请求；部分地区要求更长的保留期限
retention-omnichannel = 所有其他通信服务的数据，在我们提供服务期间保留，或按与客户约定的其他期限保留
retention-contacts-history = 通讯录联系人和通信历史，在我们提供服务期间保留
retention-marketing = 营销和销售数据，除非您撤回同意或退订，否则予以保留；现有客户的数据在其使用我们服务期间保留
retention-lead-enrichment = 经丰富的销售线索数据，仅在必要期间或在您提出反对之前保留；现有客户的数据在其使用我们服务期间保留
retention-financial = 账户和财务记录，保留用于证明我们遵守了国家及欧盟的财务和税收法律
retention-consent-proof = 同意决定的证明，保留用于证明这些决定
retention-request-confirmations = 数据保护请求的确认电子邮件，保留用于证明这些请求已得到履行
retention-cookies = 通过 Cookie 收集的数据，在每个 Cookie 的有效期内保留
retention-tracking-data = 网站分析数据，在使用收集该数据的工具跟踪网站期间保留
retention-customer-account = 客户账户数据，在您拥有账户期间及其后最长十年内保留，用于证明我们遵守了国家及欧盟的财务和税收法律
retention-support-calls = 客户支持通话，保留六个月，用于处理与通话有关的问题和投诉以及培训我们的团队
retention-account-records = 账户、订单和会员记录，在您拥有我们的账户期间保留

## 权利

right-access = 查看我们持有的关于您的个人数据并获取副本
right-rectification = 更正不正确的个人数据
right-erasure = 删除您的个人数据，除非法律要求我们保留
right-restriction = 限制对您个人数据的处理
right-portability = 接收您的个人数据，以便将其转移至他处
right-objection = 反对基于我们正当利益的处理，包括直接营销
right-withdraw-consent = 随时撤回您的同意
right-cookie-settings = 随时更改您的 Cookie 设置

## 请求渠道

request-channel-privacy-dashboard = 您在线账户中的隐私功能
request-channel-data-request-api = 用于批量数据保护请求的 API
request-channel-customer-email = 来自客户的电子邮件，不予受理：客户必须使用其在线账户或 API
request-channel-privacy-email = 发送给我们隐私团队的电子邮件
request-channel-support-staff = 我们的支持人员
request-channel-postal = 寄往我们总部的信函

## Cookie 类别

cookie-category-strictly-necessary = 严格必要 Cookie 使网站得以正常运行，例如用于存储您的隐私选择、保持您的登录状态或发送表单。这类 Cookie 无法关闭。
cookie-category-functional = 功能性 Cookie 提供附加功能和个性化设置，例如以您的语言显示网站。没有这类 Cookie，部分功能可能无法正常使用。
cookie-category-performance = 性能 Cookie 统计访问次数和流量来源，并显示访客如何浏览网站，以便我们加以改进。其数据经过汇总处理。
cookie-category-marketing = 营销 Cookie 使广告方能够识别您的浏览器和设备。这类 Cookie 可单独或与其他数据结合识别您的身份。
cookie-category-unclassified = 未分类 Cookie 仍在与其提供商一同进行分类。在分类完成之前，这类 Cookie 将被阻止。

## Cookie

cookie-consent-preferences = 记住您的 Cookie 选择
cookie-session = 在访问期间保持您的登录状态
cookie-language = 记住您的首选语言
cookie-google-ads = 衡量我们广告的效果
cookie-linkedin-insight = 衡量我们广告的效果，并使我们能够向访客投放广告
cookie-facebook-pixel = 衡量我们广告的效果，并使我们能够向访客投放广告
cookie-google-analytics = 以匿名方式衡量页面访问量、停留时间、所用浏览器和退出页面
cookie-optimizely = 运行 A/B 测试以比较网站的不同版本，不识别访客身份
cookie-crazy-egg = 生成热图和滚动图，并区分新访客与回访访客
cookie-vero = 跟踪使用电子邮件地址登录并表明身份的用户

## 联系方式

contact-privacy = 我们的数据保护官和隐私团队，负责处理问题、请求、投诉和反馈
contact-security = 我们的安全团队，用于报告被盗或被滥用的登录凭据
contact-support = 我们的支持团队，也可用于停止销售和营销联系
contact-account-manager = 您的客户经理，也可用于停止销售和营销联系
contact-legal = 我们的法务团队，负责处理与我们隐私做法相关的争议

## 司法管辖区

jurisdiction-gdpr = 欧盟《通用数据保护条例》
jurisdiction-pdpa = 新加坡《个人数据保护法》
jurisdiction-ccpa = 美国《加州消费者隐私法》
jurisdiction-wbp = 荷兰《个人数据保护法》

## 术语及其在其他司法管辖区的对应术语

term-personal-data = 个人数据
term-data-subject = 数据主体
term-controller = 数据控制者
term-processor = 数据处理者
term-individual = 个人
term-organisation = 组织
term-data-intermediary = 数据中介
term-personal-information = 个人信息
term-consumer = 消费者
term-business = 企业
term-service-provider = 服务提供商

## 安全措施

measure-security-screening = 对我们的基础设施和员工进行全面的安全审查
measure-password = 每个账户均受密码保护
measure-optional-2fa = 账户双重身份验证（由客户启用时）
measure-vendor-vetting = 第三方在接收数据前须经过审查，并受合同、技术和组织保障措施的约束
measure-login-location-monitoring = 检查账户登录位置，以发现欺诈行为
measure-contact-verification = 创建账户时验证电子邮件地址和电话号码
measure-api-authentication = 每个 API 集成使用各自的身份验证令牌
measure-compliance-officer = 内部合规官
measure-compliance-officer-monitoring = 对合规官的监督
measure-staff-2fa = 敏感系统的双重身份验证
measure-time-restricted-access = 限时访问敏感系统
measure-need-to-know = 仅按“需知”原则授予访问权限
measure-four-eyes = 关键业务操作遵循四眼原则（双人复核）
measure-logging-monitoring = 详细的内部和外部日志记录与监控
measure-outsourcing-confidentiality = 包含保密协议的外包政策
measure-data-retention-policy = 数据保留政策
measure-external-screening = 由外部机构对员工进行入职前背景审查
measure-vog-certificate = 员工须持有荷兰无犯罪记录证明（VOG）
