# 处理活动记录（《通用数据保护条例》第 30 条）Markdown 下载文件及页面中的标题，以及法律依据所依据的条款。

ropa-title = 处理活动记录（《通用数据保护条例》第 30 条）
ropa-controller = 控制者
ropa-address = 地址
ropa-dpo = 数据保护官
ropa-version = 政策版本
ropa-security = 安全措施（第 32 条）
ropa-activity = 处理活动
ropa-legal-bases = 法律依据
ropa-data-subjects = 数据主体
ropa-personal-data = 个人数据
ropa-recipients = 接收方
ropa-processors = 处理者
ropa-transfers = 向欧洲经济区以外传输
ropa-retention = 保存期限
ropa-sources = 来源
ropa-article = 第 6 条第 1 款 ({ $point }) 项
