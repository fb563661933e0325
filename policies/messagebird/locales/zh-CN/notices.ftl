# 代表隐私声明发送的电子邮件通知：确认链接、声明的重大变更以及分处理者名单的变更，均在生效日期之前发送。

mail-greeting = 您好：
mail-topic-policy = 我们隐私声明的重大变更
mail-topic-processors = 我们分处理者名单的变更
mail-confirm-subject = 请确认：来自 { $brand } 的隐私通知
mail-confirm-intro = 有人（希望是您本人）请求我们向此地址发送 { $brand } 关于以下事项的通知：
mail-confirm-action = 在您确认之前，我们不会发送任何内容。如需确认，请打开以下页面并点击页面上的按钮：
mail-confirm-ignore = 如果这不是您的请求，请忽略本邮件：我们不会再给您写信，该请求将自动失效。
mail-policy-subject = { $brand } 将于 { $date } 变更其隐私声明
mail-policy-intro = 我们已发布隐私声明第 { $version } 版。该版本自 { $date } 起生效，与现行的第 { $previous } 版相比共有 { $count } 项重大变更。
mail-policy-read = 变更内容与现行文本的对照：
mail-processors-subject = { $brand } 将于 { $date } 变更其分处理者
mail-processors-intro = 自 { $date } 起，我们的分处理者名单变更如下：
mail-processor-added = 新增：{ $name }，用于{ $purpose }，位于{ $country }
mail-processor-removed = 不再使用：{ $name }
mail-processor-changed = 已变更：{ $name }，现用于{ $purpose }，位于{ $country }
mail-processors-list = 完整名单，包括每家接收的数据及其跨境传输保障措施：
mail-processors-object = 如果您反对新增或变更的分处理者，请在 { $date } 之前通过此页面告知我们：
mail-footer = 您收到此邮件，是因为此地址订阅了 { $brand } 的隐私通知。如需退订，请打开此链接，一次点击即可：

# 账户邮件：验证链接，以及从新位置登录时的提醒。
mail-account-verify-subject = 请确认您在 { $brand } 的电子邮件地址
mail-account-verify-intro = 欢迎使用 { $brand }。请确认此地址属于您，以便我们就您的账户与您联系。
mail-account-verify-action = 请打开此页面并点击其中的按钮（链接七天内有效）：
mail-account-verify-ignore = 如果您没有注册，请忽略此邮件；该账户将保持未确认状态。
mail-account-alert-subject = 您的 { $brand } 账户有新的登录
mail-account-alert-intro = 您的账户于 { $date } 从{ $place }登录，使用的浏览器或设备此前未在该账户上出现过。
mail-account-alert-unknown-place = 一个我们无法确定的位置
mail-account-alert-ok = 如果是您本人操作，则无需任何处理。
mail-account-alert-not-you = 如果不是您本人，请立即更改密码，并发送邮件至 { $security } 告知我们的安全团队，主题为"Urgent: account credentials"。
mail-account-footer = 您收到此邮件是因为它与您的 { $brand } 账户有关。
mail-account-reset-subject = 重置您的 { $brand } 密码
mail-account-reset-intro = 有人（希望是您本人）请求为您的 { $brand } 账户设置新密码。
mail-account-reset-action = 请打开此页面选择新密码（链接一小时内有效，且只能使用一次）；之后该账户的所有会话都将结束：
mail-account-reset-ignore = 如果您没有提出此请求，请忽略此邮件：您的密码将保持不变。
mail-account-lockdown-subject = 为保护您的安全，您的 { $brand } 账户已被锁定
mail-account-lockdown-intro = 我们收到报告，您的 { $brand } 账户凭证可能已落入他人之手。为保护账户，我们已锁定该账户、结束所有会话并撤销其 API 密钥；我们的安全团队已创建事件 { $case }。
mail-account-lockdown-action = 如需继续使用该账户，请在此页面设置新密码（链接一小时内有效，且只能使用一次）：
mail-account-lockdown-not-you = 如果您没有提交过任何报告，请发送邮件至 { $security } 联系我们的安全团队，主题为"Urgent: account credentials"，并注明事件编号。
mail-account-disclosure-subject = 政府机构要求获取您 { $brand } 账户的数据
mail-account-disclosure-intro = 一个政府机构（{ $authority }，{ $place }）要求我们提供您账户的数据：{ $categories }，期间为 { $period }。
mail-account-disclosure-review = 我们只在以下情况下向政府机构披露数据：依据适用于我们的法律，并持有写明数据类别和具体期间的可强制执行的法律文书；不符合这些条件的请求我们会提出异议，且披露的数据绝不超出请求范围。我们的参考编号为 { $case }。
mail-account-disclosure-advice = 您可以寻求法律意见或联系该机构。如有疑问，请联系：{ $privacy }。
