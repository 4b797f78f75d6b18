"""English translations of part of the demo content (written for this project).

load_demo applies them through wagtail-localize, string by string, as a translator would.
"""

# Lessons with an English version: one or more per function, all with video and
# several sections; the first is lesson 1 of the 党史 series.
TRANSLATED_LESSONS = [
    "dangshi-hongchuan-qihang",  # theory (first lesson of the Party history series)
    "dangshi-qianwan-gongcheng",  # theory
    "shuidao-diepan-yuyang",  # skills
    "shufa-rumen-kaishu-bihua",  # culture
    "yuanjiao-zhandian-guanliyuan-gangwei-peixun",  # education
    "taifeng-cunji-fangyu-yaodian",  # response
]

# The 2024 speech summary and the in-force 2025 revision of the station measures.
TRANSLATED_POLICIES = [
    "kuoda-shidian-gongzuo-huiyi-jianghua-2024",
    "zhandian-guanli-banfa-2025-xiuding",
]

# Chinese source string (exactly as in the data files) -> English.
# Each source string appears once, even when several pages share it.
STRINGS = {
    # ------------------------------------------------------------------
    # Home page and site skeleton (home/demo.py)
    # ------------------------------------------------------------------
    "时代先锋网": "Pioneers of the Times",
    (
        "时代先锋网是浙江省农村党员干部现代远程教育的教学辅助网站。"
        "这里汇集了省、市、县制作的课件和节目，按思想理论教育、实用技术培训、文化艺术熏陶、"
        "学历教育培训、信息沟通与应急响应五大功能分类，村里的终端接收站点和每一位学员都可以随时观看、下载。"
    ): (
        "Pioneers of the Times is the teaching-support website of Zhejiang’s modern distance "
        "education programme for rural Party members and cadres. It brings together courseware "
        "and programmes produced at provincial, city and county level, organised under five "
        "functions: political and theoretical education, practical skills training, culture and "
        "the arts, academic education and training, and information and emergency response. "
        "Village receiving stations and individual learners alike can watch or download them at "
        "any time."
    ),
    "课程": "Lessons",  # as the English headings name them ("Latest Lessons")
    "全省远程教育课件库中的全部课程，按最新发布排列。": (
        "Every lesson in the provincial distance-education courseware library, newest first."
    ),
    "工作动态": "News and Updates",
    "各市、县（市、区）远程教育工作的最新进展。": (
        "The latest distance-education work in the province’s cities, counties and districts."
    ),
    "政策文件": "Policy Documents",
    "远程教育工作的通知、意见、方案、办法和重要讲话。废止的文件仍可查阅，并标明替代文件。": (
        "Notices, opinions, plans, measures and major speeches on distance education. Repealed "
        "documents remain available and indicate the documents that replace them."
    ),
    # The five functions and their index-page intros
    "思想理论教育": "Political and Theoretical Education",
    "实用技术培训": "Practical Skills Training",
    "文化艺术熏陶": "Culture and the Arts",
    "学历教育培训": "Academic Education and Training",
    "信息沟通与应急响应": "Information and Emergency Response",
    "党的理论、党史党章和政策解读，帮助农村党员干部学懂弄通、学以致用。": (
        "Party theory, Party history, the Party Constitution and policy explainers, helping rural "
        "Party members and cadres understand them thoroughly and put them into practice."
    ),
    "种植、养殖、农村电商等实用技术，一看就懂、一学就会。": (
        "Practical know-how in crop growing, livestock and fish farming, rural e-commerce and "
        "more: easy to follow and quick to master."
    ),
    "越剧、婺剧、剪纸、农民画和乡村文化礼堂，丰富村民的精神生活。": (
        "Yue opera, Wu opera, paper-cutting, peasant painting and rural cultural auditoriums, "
        "enriching villagers’ cultural life."
    ),
    "开放大学和成人学历教育课程，让农村党员干部在家门口提升学历。": (
        "Open university and adult degree courses that let rural Party members and cadres gain "
        "higher qualifications close to home."
    ),
    "防台防汛、森林防火、防范诈骗和社会保障政策，关键时刻用得上。": (
        "Typhoon and flood preparedness, forest fire prevention, fraud awareness and social "
        "security policies: information you can rely on when it matters most."
    ),
    # Attachment titles (lessons/demo.py, news/demo.py)
    "课程讲义（PDF）": "Course handout (PDF)",
    "文件原文（PDF）": "Full text of the document (PDF)",
    # ------------------------------------------------------------------
    # Shared lesson and policy metadata
    # ------------------------------------------------------------------
    "党史": "Party history",
    "站点管理": "Station management",
    "站点管理员": "Station administrators",
    "湖州市远程教育课件制作基地": "Huzhou Distance Education Courseware Production Centre",
    # ------------------------------------------------------------------
    # Lesson: dangshi-hongchuan-qihang
    # ------------------------------------------------------------------
    "红船起航：中国共产党的诞生": "The Red Boat Sets Sail: The Founding of the Communist Party of China",
    "回顾1921年中国共产党第一次全国代表大会从上海转移到嘉兴南湖继续举行的历史，理解红船精神的深刻内涵。": (
        "Looks back at how, in 1921, the First National Congress of the Communist Party of China "
        "moved from Shanghai to South Lake in Jiaxing to complete its work, and explores the "
        "profound meaning of the Red Boat Spirit."
    ),
    "中共嘉兴市委党校": "Party School of the CPC Jiaxing Municipal Committee",
    "农村党员、入党积极分子": "Rural Party members and applicants for Party membership",
    "红色教育": "Revolutionary heritage education",
    "1921年7月23日，中国共产党第一次全国代表大会在上海开幕。会议进行中受到法租界巡捕的干扰，代表们转移到嘉兴南湖，在一条游船上完成了最后的议程，庄严宣告中国共产党诞生。": (
        "On 23 July 1921, the First National Congress of the Communist Party of China opened in "
        "Shanghai. When police from the French Concession disrupted the proceedings, the "
        "delegates moved to South Lake in Jiaxing, where they completed the final items on the "
        "agenda aboard a pleasure boat and solemnly proclaimed the founding of the Communist "
        "Party of China."
    ),
    "课程提纲": "Course outline",
    "时代背景：五四运动以后马克思主义在中国的传播": (
        "Historical background: the spread of Marxism in China after the May Fourth Movement"
    ),
    "上海会议：各地代表齐聚，讨论党的纲领和今后的工作": (
        "The Shanghai sessions: delegates from across the country met to discuss the Party’s "
        "programme and future work"
    ),
    "南湖会议：通过党的第一个纲领和决议，选举产生中央局": (
        "The South Lake session: adoption of the Party’s first programme and first resolution, "
        "and election of the Central Bureau"
    ),
    "红船精神：首创精神、奋斗精神、奉献精神": (
        "The Red Boat Spirit: a pioneering spirit, a spirit of struggle and a spirit of dedication"
    ),
    "开天辟地、敢为人先的首创精神，坚定理想、百折不挠的奋斗精神，立党为公、忠诚为民的奉献精神。": (
        "The pioneering spirit of breaking new ground and daring to be the first; the spirit of "
        "struggle, holding firm to ideals and never giving up; and the spirit of dedication, "
        "building the Party for the public good and serving the people with loyalty."
    ),
    "红船精神的概括表述": "The official summary of the Red Boat Spirit",
    "南湖红船如今是全国党员干部接受教育的重要场所。嘉兴各村的远程教育站点把南湖革命纪念馆的讲解视频作为常备课件，每年七一前后组织党员集中收看，再结合本村发展谈体会。": (
        "Today the Red Boat on South Lake is an important place of learning for Party members "
        "and officials from all over China. Distance-education stations in Jiaxing’s villages "
        "keep the guided-tour videos of the South Lake Revolutionary Memorial Hall as standing "
        "courseware. Every year around 1 July, the Party’s founding anniversary, they bring Party "
        "members together to watch them and then discuss what they have learned in the light of "
        "their own village’s development."
    ),
    "学这段历史，不只是记住时间和地点。一百多年前，一群平均年龄二十多岁的年轻人敢于开天辟地；今天在乡村振兴一线，同样需要农村党员带头闯、带头干。": (
        "Studying this history means more than remembering dates and places. Over a century ago, "
        "a group of young people whose average age was in the twenties dared to break entirely "
        "new ground. Today, on the front line of rural revitalisation, rural Party members are "
        "needed in the same way to lead in blazing new trails and getting things done."
    ),
    # ------------------------------------------------------------------
    # Lesson: dangshi-qianwan-gongcheng
    # ------------------------------------------------------------------
    "从“千万工程”看新时代乡村巨变": (
        "Rural Transformation in the New Era: Lessons from the Green Rural Revival Program"
    ),
    "介绍2003年启动的“千村示范、万村整治”工程二十多年来的实践历程和主要成效，理解新时代乡村建设的方法路径。": (
        "Traces the more than twenty years of practice and the main achievements of the "
        "“Thousand Villages Demonstration, Ten Thousand Villages Renovation” project launched in "
        "2003, and draws out the methods and pathways for rural development in the new era."
    ),
    "农村党员、村干部、乡镇干部": "Rural Party members, village officials and township officials",
    "乡村振兴": "Rural revitalisation",
    "千万工程": "Green Rural Revival Program",
    "2003年，浙江启动“千村示范、万村整治”工程，从整治垃圾、污水、厕所等农村人居环境入手，一张蓝图绘到底，一任接着一任干。二十多年来造就了万千美丽乡村，2018年这项工程获得联合国“地球卫士奖”。": (
        "In 2003 Zhejiang launched the “Thousand Villages Demonstration, Ten Thousand Villages "
        "Renovation” project. It began by cleaning up the rural living environment, tackling "
        "waste, sewage and toilets, and has stuck to a single blueprint, with each successive "
        "leadership team carrying the work forward. Over more than twenty years it has created "
        "thousands of beautiful villages, and in 2018 the project received the United Nations "
        "Champions of the Earth award."
    ),
    "几个发展阶段": "Stages of development",
    "示范引领：整治1万个左右行政村，建成1000个左右示范村": (
        "Leading by example: renovating around 10,000 administrative villages and building "
        "around 1,000 model villages"
    ),
    "整体推进：整治范围扩大到全省行政村，推进垃圾、污水、厕所“三大革命”": (
        "Province-wide rollout: extending renovation to every administrative village in the "
        "province and pressing ahead with the “three revolutions” in waste, sewage and toilets"
    ),
    "深化提升：从环境美向产业美、生活美、风尚美延伸": (
        "Deepening and upgrading: going beyond a beautiful environment to thriving industries, "
        "better lives and fine social mores"
    ),
    "迭代升级：建设宜居宜业和美乡村，推动城乡融合和共同富裕": (
        "Iterative upgrading: building harmonious, beautiful villages that are good places to "
        "live and work, and advancing urban-rural integration and common prosperity"
    ),
    "安吉县余村过去靠开矿挣钱，粉尘和污水让村民吃尽了苦头。关停矿山后，村里发展竹产业、白茶和乡村旅游，走出了生态优先、绿色发展的路子，如今是远近闻名的美丽乡村。": (
        "Yucun Village in Anji County once made its living from mining, and villagers suffered "
        "badly from the dust and polluted water. After the mines were closed, the village built "
        "up its bamboo industry, white tea and rural tourism, forging a path that puts ecology "
        "first and pursues green development. Today it is a beautiful village known far and wide."
    ),
    "“千万工程”的经验，关键在于坚持以人民为中心，坚持因地制宜、分类指导，坚持久久为功。村里搞建设要问需于民，让村民成为参与者，也成为受益者。": (
        "The key lessons of the Green Rural Revival Program are to stay people-centred, to adapt "
        "measures to local conditions with guidance tailored to each type of village, and to "
        "persevere for the long haul. When a village undertakes a project, it should ask "
        "residents what they need, so that villagers become both participants and beneficiaries."
    ),
    # ------------------------------------------------------------------
    # Lesson: shuidao-diepan-yuyang
    # ------------------------------------------------------------------
    "单季晚稻叠盘出苗育秧技术": "Raising Single-Crop Late Rice Seedlings by Stacked-Tray Emergence",
    "讲解单季晚稻机插秧配套的叠盘暗出苗育秧流程，帮助种粮大户育出整齐健壮、适合机插的秧苗。": (
        "Explains the stacked-tray, dark-emergence method of raising seedlings for "
        "machine-transplanted single-crop late rice, helping large-scale grain growers produce "
        "even, sturdy seedlings suited to machine transplanting."
    ),
    "种粮大户、家庭农场主、农机手": (
        "Large-scale grain growers, family farm operators and farm machinery operators"
    ),
    "水稻": "Rice",
    "农机农艺": "Farm machinery and agronomy",
    "粮食生产": "Grain production",
    "湖州、嘉兴一带单季晚稻面积大，机插秧已经成为主流。机插成败一半在秧：秧苗不齐、盘根不牢，插下去就容易漂秧、缺穴。本课以南浔区一家集中育秧中心为例，把叠盘出苗的每个环节讲清楚。": (
        "Single-crop late rice is grown on a large scale around Huzhou and Jiaxing, and machine "
        "transplanting is now the norm. Half the battle in machine transplanting is the "
        "seedlings: if they are uneven or their root mats are weak, they tend to float off or "
        "leave gaps once planted out. Taking a centralised seedling nursery in Nanxun District as "
        "an example, this lesson explains every stage of stacked-tray emergence."
    ),
    "课程要点": "Key points",
    "选种：优先选用甬优、嘉优等在本地表现稳定的品种，每亩大田准备秧盘20盘左右": (
        "Choosing seed: favour varieties that perform reliably in the area, such as the Yongyou "
        "and Jiayou series, and allow about 20 seedling trays per mu of paddy field"
    ),
    "种子处理：播前晒种1至2天，用咪鲜胺浸种，预防恶苗病和稻瘟病": (
        "Seed treatment: sun-dry the seed for 1 to 2 days before sowing and soak it in prochloraz "
        "to prevent bakanae disease and rice blast"
    ),
    "叠盘暗出苗：播种后秧盘叠放进出苗室，温度控制在30至32℃": (
        "Stacked-tray dark emergence: after sowing, stack the trays in the germination room and "
        "hold the temperature at 30 to 32℃"
    ),
    "适时摆盘：芽长0.5至1厘米、基本齐苗时移到秧田或大棚": (
        "Laying out on time: once shoots are 0.5 to 1 cm long and have emerged fairly evenly, "
        "move the trays to the nursery bed or greenhouse"
    ),
    "从播种到摆盘": "From sowing to laying out the trays",
    "提前准备育秧基质或过筛床土，每盘装土厚约2厘米，刮平压实。": (
        "Prepare seedling substrate or sieved nursery soil in advance. Fill each tray to a depth "
        "of about 2 cm, then level and firm it."
    ),
    "浸种48小时左右，破胸露白后摊晾到种子不粘手。": (
        "Soak the seed for about 48 hours. Once the hulls split and the white tips show, spread "
        "it out to dry until it no longer sticks to your hands."
    ),
    "用流水线播种，杂交稻每盘播干谷60至80克，做到落谷均匀、不重不漏。": (
        "Sow on a seeding line at 60 to 80 g of dry hybrid rice seed per tray, spreading it evenly "
        "with no doubling up and no gaps."
    ),
    "播后覆土以看不见种子为准，每20至25盘叠成一摞，最上面压一张空盘。": (
        "Cover the seed with just enough soil to hide it, stack the trays 20 to 25 high, and top "
        "each stack with an empty tray."
    ),
    "出苗室保温保湿36至48小时，其间每天抽查一次芽长。": (
        "Keep the germination room warm and humid for 36 to 48 hours, spot-checking shoot length "
        "once a day."
    ),
    "出苗后摆入秧田，头两天遮阳炼苗，之后保持盘土湿润、沟里有水、盘面不积水。": (
        "After emergence, lay the trays out in the nursery bed and shade them for the first two "
        "days to harden the seedlings off. After that, keep the tray soil moist and water in the "
        "furrows, but do not let water stand on the trays."
    ),
    "秧龄一般控制在15至20天、叶龄3至4叶时机插最合适。秧苗一旦超龄，根系盘结过紧，插后返青慢。育秧计划要和插秧机的作业排期对上，宁可分批播种，也不要一次播得太多。": (
        "Seedlings are best machine-transplanted at 15 to 20 days old, at the 3- to 4-leaf stage. "
        "Once seedlings are past their prime, their roots become too tightly matted and they are "
        "slow to recover after transplanting. Match the nursery plan to the transplanter’s work "
        "schedule: it is better to sow in batches than to sow too much at once."
    ),
    "以前自己育秧总有一角出苗不齐，交给育秧中心叠盘出苗后，一千多亩田插下去基本不用补苗。": (
        "When I raised my own seedlings there was always a corner that came up patchy. Since the "
        "nursery centre started doing it with stacked trays, we have planted out more than 1,000 "
        "mu with hardly any gaps to fill."
    ),
    "南浔区一位种粮大户": "A large-scale grain grower in Nanxun District",
    # ------------------------------------------------------------------
    # Lesson: shufa-rumen-kaishu-bihua
    # ------------------------------------------------------------------
    "书法入门：楷书基本笔画": "Calligraphy for Beginners: The Basic Strokes of Regular Script",
    "从执笔、坐姿讲起，结合“永字八法”讲解楷书点、横、竖、撇、捺、折、钩、提等基本笔画的写法。": (
        "Starting with how to hold the brush and how to sit, the lesson uses the “Eight "
        "Principles of Yong” to show how to write the basic strokes of regular script: the dot, "
        "horizontal, vertical, left-falling, right-falling, turning, hooked and rising strokes."
    ),
    "绍兴市柯桥区文化馆": "Keqiao District Cultural Centre, Shaoxing",
    "书法爱好者、中老年群众、中小学生": (
        "Calligraphy enthusiasts, middle-aged and older residents, and schoolchildren"
    ),
    "书法": "Calligraphy",
    "传统文化": "Traditional culture",
    "柯桥兰亭是书法圣地，东晋王羲之在这里写下了《兰亭集序》。对刚开始学书法的人来说，楷书是打基础的字体，先把笔画写稳，以后学行书、隶书都会顺手。": (
        "The Orchid Pavilion in Keqiao is a sacred site for calligraphy: it was here that Wang "
        "Xizhi of the Eastern Jin dynasty wrote the Preface to the Orchid Pavilion Poems. For "
        "beginners, regular script lays the foundation. Once your strokes are steady, running "
        "script and clerical script will come much more easily."
    ),
    "学书准备": "Getting ready",
    "毛笔选中楷兼毫笔，新笔先用清水泡开": (
        "Brush: choose a medium-sized mixed-hair brush for regular script, and soak a new brush "
        "in clean water to loosen it first"
    ),
    "初学用毛边纸或米字格练习纸": (
        "Paper: beginners should use maobian paper or practice paper ruled with guide grids"
    ),
    "坐姿端正，胸离桌沿一拳，两脚平放": (
        "Posture: sit up straight, a fist’s width from the edge of the desk, with both feet flat "
        "on the floor"
    ),
    "五指执笔，指实掌虚，笔杆基本垂直": (
        "Grip: hold the brush with all five fingers, fingers firm and palm hollow, keeping the "
        "shaft more or less upright"
    ),
    "横画的写法": "Writing the horizontal stroke",
    "逆锋起笔，笔尖向左轻轻一点。": (
        "Start with a reversed tip, touching the tip of the brush lightly towards the left."
    ),
    "转向右下方按笔，形成饱满的起笔。": (
        "Turn towards the lower right and press down to form a full, rounded start."
    ),
    "提笔向右行笔，保持中锋，略向右上倾斜。": (
        "Lift slightly and draw the brush to the right with the tip centred, rising a little "
        "towards the upper right."
    ),
    "行至末端稍提，再向右下顿笔。": (
        "At the end, lift slightly, then press firmly towards the lower right."
    ),
    "向左回锋收笔，一笔横画即告完成。": (
        "Turn the tip back to the left to finish, and the horizontal stroke is complete."
    ),
    "一个“永”字包含了楷书最主要的八种笔画，古人称为“永字八法”。每天练二十分钟，先临颜真卿、欧阳询等名家字帖中的单字，比一上来就写整篇更见成效。": (
        "The single character yong (“eternal”) contains the eight principal strokes of regular "
        "script, which is why the ancients spoke of the “Eight Principles of Yong”. Practising "
        "for twenty minutes a day, first copying single characters from the model books of "
        "masters such as Yan Zhenqing and Ouyang Xun, will get you further than launching "
        "straight into whole passages."
    ),
    "书法练的是字，养的是心。": (
        "In calligraphy you practise your characters, but what you cultivate is your mind."
    ),
    "柯桥区一位书法志愿者": "A calligraphy volunteer in Keqiao District",
    # ------------------------------------------------------------------
    # Lesson: yuanjiao-zhandian-guanliyuan-gangwei-peixun
    # ------------------------------------------------------------------
    "远程教育终端接收站点管理员岗位培训": (
        "Induction Training for Distance-Education Receiving Station Administrators"
    ),
    "面向新上岗的村级站点管理员，讲解站点设备组成、组织集中学习、台账管理和安全防护等岗位职责。": (
        "For newly appointed village station administrators: covers the station’s equipment, "
        "running group study sessions, record-keeping, safety and the other duties of the post."
    ),
    "浙江省农村党员干部现代远程教育办公室": (
        "Zhejiang Provincial Office for Modern Distance Education of Rural Party Members and Cadres"
    ),
    "村级站点管理员、乡镇远程教育专管员": (
        "Village station administrators and township distance-education coordinators"
    ),
    "远程教育": "Distance education",
    "远程教育终端接收站点是党员群众家门口的小课堂。站点建得好是一方面，能不能常开、常用、常有人来，很大程度上取决于站点管理员。全省从事远程教育教学、管理和技术服务的人员已有八千多人，大部分是村级站点管理员。": (
        "A distance-education receiving station is a small classroom on the doorstep of Party "
        "members and local residents. Building a station well is one thing; whether it stays "
        "open, stays in use and keeps drawing people in depends largely on its administrator. "
        "More than 8,000 people across the province now work in distance-education teaching, "
        "management and technical services, most of them village station administrators."
    ),
    "站点设备组成": "Station equipment",
    "接收设备：卫星接收天线、有线数字电视机顶盒或IPTV机顶盒": (
        "Receiving equipment: a satellite dish, a digital cable TV set-top box or an IPTV "
        "set-top box"
    ),
    "播放设备：电视机或投影仪、音箱": "Playback equipment: a television or projector, and speakers",
    "计算机：上网下载课件、填报学习记录": (
        "Computer: for downloading courseware and filing study records online"
    ),
    "辅助设施：防雷插座、稳压电源、学习桌椅和制度牌": (
        "Ancillary facilities: surge-protected sockets, a voltage stabiliser, desks and chairs for "
        "learners, and a board displaying the station rules"
    ),
    "组织一次集中学习": "Running a group study session",
    "根据乡镇下发的教学计划和村里的实际需要，提前一周定好学习内容。": (
        "Settle the content a week in advance, based on the teaching plan issued by the township "
        "and the village’s actual needs."
    ),
    "通过村广播和微信群发通知，写明时间、地点和课程名称。": (
        "Send out a notice over the village loudspeakers and in WeChat groups, giving the time, "
        "place and course title."
    ),
    "提前半小时开机调试，检查信号、音量和画面。": (
        "Switch on and set up half an hour early, checking the signal, volume and picture."
    ),
    "学员签到后播放课件，适时暂停，组织讨论或答疑。": (
        "Once learners have signed in, play the courseware, pausing at suitable points for "
        "discussion or questions."
    ),
    "学习结束后在信息管理系统中填报学习记录，收集学员意见。": (
        "After the session, enter the study record in the information management system and "
        "collect learners’ feedback."
    ),
    "站点管理员日常“五个一”": "The station administrator’s routine: the “five ones”",
    "一本台账：记录设备状况、学习活动和维修情况": (
        "One logbook: recording the state of the equipment, study activities and repairs"
    ),
    "一张课表：每月公布站点播放计划": "One timetable: publishing the station’s viewing schedule every month",
    "一套制度：设备管理、学用登记、安全保卫制度上墙": (
        "One set of rules: rules on equipment management, study and application records, and "
        "safety and security, displayed on the wall"
    ),
    "一次巡检：每周检查一次设备运行情况": "One inspection: checking the equipment is working properly once a week",
    "一张联系卡：存好乡镇专管员和技术服务人员的电话": (
        "One contact card: keeping the phone numbers of the township coordinator and technical "
        "support staff to hand"
    ),
    "雷雨天气要关机，并拔掉电源线和信号线，防止雷击损坏设备。设备出了故障不要自行拆机，先记下故障现象，再联系乡镇或县里的技术服务人员上门维修。": (
        "In thunderstorms, switch the equipment off and unplug the power and signal cables to "
        "protect it from lightning. If something breaks down, do not take it apart yourself: note "
        "down the symptoms, then ask technical support staff from the township or county to come "
        "and repair it."
    ),
    # ------------------------------------------------------------------
    # Lesson: taifeng-cunji-fangyu-yaodian
    # ------------------------------------------------------------------
    "台风来临前后的村级防御要点": "Typhoon Preparedness in Villages: Before and After the Storm",
    "讲解台风预警信号等级、村级防汛防台责任体系、危险区域人员转移和灾后自救互救等内容。": (
        "Covers typhoon warning levels, the village-level system of responsibility for flood and "
        "typhoon prevention, evacuating people from danger zones, and self-help and mutual aid "
        "after a disaster."
    ),
    "台州市应急管理局": "Taizhou Emergency Management Bureau",
    "村干部、网格员、农村党员": "Village officials, community grid workers and rural Party members",
    "防汛防台": "Flood and typhoon prevention",
    "应急避险": "Emergency evacuation",
    "台州、温州沿海几乎年年都要迎战台风。台风带来的不只是大风，还有暴雨、风暴潮以及随之而来的山洪和地质灾害。历年防台经验说明，人员转移得早不早、到不到位，是减少伤亡最关键的一环。": (
        "The coasts of Taizhou and Wenzhou have to face typhoons almost every year. Typhoons bring "
        "not just high winds but torrential rain and storm surges, followed by flash floods and "
        "geological hazards. Years of experience show that evacuating people early and "
        "thoroughly is the single most important factor in reducing casualties."
    ),
    "台风预警信号": "Typhoon warning signals",
    "蓝色：24小时内可能受热带气旋影响，平均风力达6级以上": (
        "Blue: a tropical cyclone is likely to affect the area within 24 hours, with mean winds "
        "of force 6 or above"
    ),
    "黄色：24小时内可能受影响，平均风力达8级以上": (
        "Yellow: likely to affect the area within 24 hours, with mean winds of force 8 or above"
    ),
    "橙色：12小时内可能受影响，平均风力达10级以上": (
        "Orange: likely to affect the area within 12 hours, with mean winds of force 10 or above"
    ),
    "红色：6小时内可能受影响，平均风力达12级以上": (
        "Red: likely to affect the area within 6 hours, with mean winds of force 12 or above"
    ),
    "台风来临前村里要做的事": "What the village must do before a typhoon arrives",
    "村防汛防台工作组启动值班，村干部按网格分片包干。": (
        "The village flood and typhoon prevention team goes on duty, with each village official "
        "responsible for an assigned grid area."
    ),
    "逐户排查危旧房、工棚、低洼地和山塘水库下游的住户。": (
        "Check household by household on people living in dilapidated houses, work sheds, "
        "low-lying land, and below hillside ponds and reservoirs."
    ),
    "按照“应转尽转、应转早转”的要求，把危险区域群众转移到避灾安置点。": (
        "Following the rule “evacuate everyone who should be evacuated, and evacuate them "
        "early”, move residents in danger zones to emergency shelters."
    ),
    "检查安置点的饮用水、食品、药品和照明设备。": (
        "Check the drinking water, food, medicines and lighting at the shelters."
    ),
    "通知渔船回港避风、养殖人员上岸，加固大棚和广告牌。": (
        "Call fishing boats back to port for shelter and fish farmers back ashore, and secure "
        "greenhouses and billboards."
    ),
    "通过村村响广播、微信群和远教站点滚动发布预警信息。": (
        "Issue rolling warnings over the village loudspeaker network, in WeChat groups and at the "
        "distance-education station."
    ),
    "台风过后不要急着回家，要等村里确认危险解除。看到倒伏的电线杆和落地电线要远离并报告，被水泡过的食品不要吃，受损房屋要经过安全检查再入住。": (
        "After a typhoon, do not rush home: wait until the village confirms the danger has "
        "passed. Keep away from fallen utility poles and downed power lines and report them, do "
        "not eat food that has been soaked in floodwater, and do not move back into a damaged "
        "house until it has passed a safety inspection."
    ),
    "宁可十防九空，不可失防万一。": (
        "Better to prepare ten times for nothing than to be caught unprepared once."
    ),
    "防汛防台工作常用语": "A common saying in flood and typhoon prevention",
    # ------------------------------------------------------------------
    # Policy: kuoda-shidian-gongzuo-huiyi-jianghua-2024
    # ------------------------------------------------------------------
    "在全省扩大农村党员干部现代远程教育试点工作会议上的讲话（摘要）": (
        "Speech at the Provincial Conference on Expanding the Pilot Programme of Modern Distance "
        "Education for Rural Party Members and Cadres (Summary)"
    ),
    "中共浙江省委组织部": "Organisation Department of the CPC Zhejiang Provincial Committee",
    "省委组织部负责同志在会上回顾一年多来试点工作的成效和不足，提出以广电为基本网络、电信为拓展网络扩大试点的总体思路，部署年内建成两万个以上终端接收站点等重点任务，并对抓好落实提出五点要求。": (
        "At the conference, a senior official of the Organisation Department of the Provincial "
        "Party Committee reviewed the achievements and shortcomings of more than a year of pilot "
        "work; set out the overall approach of expanding the pilot with radio and television as "
        "the core network and telecommunications as the extension network; assigned priority "
        "tasks, including building more than 20,000 receiving stations within the year; and laid "
        "down five requirements for implementation."
    ),
    "扩大试点": "Pilot expansion",
    "工作会议": "Work conference",
    "电信网络": "Telecommunications network",
    "讲话首先回顾了一年多来的试点工作。省委和省远程教育领导小组统筹指挥，省广电局、浙江广电集团等部门全力配合，全省试点范围逐步扩大，站点建设按期完成，省市两级平台初步成形，课件资源日益丰富，教学使用扎实开展，制度标准不断健全，骨干队伍基本建立。讲话以省委组织部、省远程办的名义，向广电系统和各地组织部门致谢，并欢迎省电信系统加入远程教育建设队伍。": (
        "The speech opened with a review of more than a year of pilot work. Under the overall "
        "direction of the Provincial Party Committee and the Provincial Leading Group for "
        "Distance Education, and with the full support of the Provincial Radio and Television "
        "Bureau, Zhejiang Radio and Television Group and other bodies, the pilot has been "
        "steadily extended across the province: stations have been built on schedule, platforms "
        "at provincial and city level have taken initial shape, courseware resources are growing "
        "richer, teaching and use are well under way, rules and standards keep improving, and a "
        "core team is essentially in place. On behalf of the Organisation Department of the "
        "Provincial Party Committee and the Provincial Distance Education Office, the speech "
        "thanked the radio and television system and organisation departments across the "
        "province, and welcomed the provincial telecommunications sector into the ranks of those "
        "building distance education."
    ),
    "讲话介绍了试点的由来和范围。按照中央统一部署，经省委常委会研究并报全国远程办同意，我省确定宁波、湖州两市为全国扩大试点地区，丽水市、桐庐县和柯桥区（原绍兴县）作为省级试点地区同步推进。今年初，省委远程教育领导小组在总结3市2县经验的基础上，决定再增加3个市和部分县（市、区）扩大试点。": (
        "The speech explained the origins and scope of the pilot. In line with the unified "
        "arrangements of the central authorities, after deliberation by the Standing Committee of "
        "the Provincial Party Committee and with the approval of the National Distance Education "
        "Office, Zhejiang designated the cities of Ningbo and Huzhou as national expanded-pilot "
        "areas, with Lishui City, Tonglu County and Keqiao District (formerly Shaoxing County) "
        "moving forward in parallel as provincial pilot areas. Early this year, building on the "
        "experience of these 3 cities and 2 counties, the Provincial Party Committee’s Leading "
        "Group for Distance Education decided to extend the pilot to 3 more cities and a number "
        "of counties, county-level cities and districts."
    ),
    "讲话用一组数字概括了试点成效：先期试点的3市2县已建成终端接收站点6470个，达到计划数的117%，新扩试点的3个市站点建设全面铺开；全省已征集开发教学节目约6000小时，新制作优秀课件1013个，共享戏曲文化节目1000余部；省级广电前端播出试验平台运行正常，“时代先锋网”开通上线，省级信息管理系统投入使用，省级中心资源库即将初步建成；全省教学、管理和技术服务人员达8000余人。各地还围绕建、管、学、用开展调研，形成了一批制度和理论成果。": (
        "The speech summed up the pilot’s results in figures. The 3 cities and 2 counties in the "
        "first phase have built 6470 receiving stations, 117% of the planned number, and station "
        "construction is in full swing in the 3 newly added cities. The province has collected "
        "and developed about 6000 hours of teaching programmes, produced 1013 new high-quality "
        "courseware items and made more than 1000 traditional opera and cultural programmes "
        "available for sharing. The provincial radio and television head-end broadcasting trial "
        "platform is running normally, the Pioneers of the Times website has gone live, the "
        "provincial information management system is in use, and the provincial central "
        "resource library will soon be in place in its initial form. More than 8000 people now "
        "work in teaching, management and technical services across the province. Localities "
        "have also carried out studies on building, managing, learning from and using the "
        "stations, producing a body of rules and theoretical findings."
    ),
    "讲话也直面问题：省级基础设施有待完善，站点日常运行和维护办法还在摸索，现有课件在数量和针对性上还满足不了基层需求，骨干队伍流动较大，教学组织和管理还比较薄弱，远程教育的影响力和实际作用还要进一步扩大。": (
        "The speech also faced the problems squarely: provincial infrastructure still needs "
        "improvement; ways of running and maintaining stations day to day are still being worked "
        "out; existing courseware does not yet meet grassroots needs in quantity or relevance; "
        "turnover in the core team is high; the organisation and management of teaching remain "
        "relatively weak; and the reach and practical impact of distance education need to be "
        "extended further."
    ),
    "关于下一步的总体思路，讲话提出，要按照“投入省、推进快、运转灵、可控制、功能多、效果好”的要求，搭建以省级中心资源库为龙头、以广电为基本网络、以电信为拓展网络、以村级站点为服务主阵地的全省远程教育框架，逐步实现思想理论教育、实用技术培训、文化艺术熏陶、学历教育培训、信息沟通与应急响应五大功能。": (
        "On the overall approach for the next stage, the speech called for a province-wide "
        "distance-education framework meeting the requirements of “low cost, rapid progress, "
        "flexible operation, controllability, multiple functions and good results”. Led by the "
        "provincial central resource library, it would use radio and television as the core "
        "network and telecommunications as the extension network, with village stations as the "
        "main front line of service, and would progressively deliver five functions: political "
        "and theoretical education, practical skills training, culture and the arts, academic "
        "education and training, and information and emergency response."
    ),
    "关于工作目标，讲话明确：宁波、湖州继续走广电路子，把试点做深做实；杭州、嘉兴、绍兴三市要如期建成站点，在温州、台州、金华、衢州四市探索运用电信网络技术。到年底全省累计建成终端接收站点20000个以上，争取明年上半年基本覆盖所有乡镇和行政村，同步建好前端播出平台、省级中心资源库、教学辅助网站和信息管理系统。基础设施建设从6月启动，7月底前建成省、市两级电信前端服务平台；温州等四市站点分两步实施，8月底前完成试点县部分站点并组织评估，11月底前基本完成全部建设任务。": (
        "On targets, the speech made clear that Ningbo and Huzhou will continue along the radio "
        "and television route, deepening and consolidating their pilots; the three cities of "
        "Hangzhou, Jiaxing and Shaoxing must complete their stations on schedule; and the four "
        "cities of Wenzhou, Taizhou, Jinhua and Quzhou will explore the use of telecommunications "
        "network technology. By the end of the year the province is to have built a cumulative "
        "total of more than 20000 receiving stations, aiming to cover essentially every township "
        "and administrative village in the first half of next year, while completing the "
        "head-end broadcasting platform, the provincial central resource library, the "
        "teaching-support website and the information management system at the same time. "
        "Infrastructure construction will begin in June, with provincial and city "
        "telecommunications head-end service platforms completed by the end of July. Stations in "
        "Wenzhou and the other three cities will be built in two phases: some stations in the "
        "pilot counties will be completed and evaluated by the end of August, and all "
        "construction essentially completed by the end of November."
    ),
    "讲话对抓好落实提出五点要求：一是统一思想认识，增强抓好扩大试点的使命担当；二是加强组织领导，健全领导机构和办事机构，解决好“有人管事、有钱办事、有章理事”的问题，把试点工作纳入“三级联创”和党建目标考核；三是因地制宜推进基础设施建设，先调查摸底、再制定方案，整合现有设施共建共享，不搞一刀切，规范设备招投标和采购，把工程建成廉洁工程；四是坚持边建边用，牢记“建是基础、管是关键、学用是根本”，防止重硬件轻软件、重建设轻使用；五是大胆探索创新，依靠电信部门的技术支持，既完成好规定动作，又创造性地做好自选动作，为全面推开积累经验。": (
        "The speech set out five requirements for effective implementation. First, achieve a "
        "common understanding and a stronger sense of mission and responsibility for the "
        "expanded pilot. Second, strengthen organisational leadership: improve the leading "
        "bodies and working offices, make sure there are “people to take charge, money to get "
        "things done and rules to run things by”, and include the pilot in the “Three-Level "
        "Joint Creation” campaign and in Party-building performance assessments. Third, build "
        "infrastructure in ways suited to local conditions: survey the situation before drawing "
        "up plans, integrate existing facilities for joint construction and shared use, avoid a "
        "one-size-fits-all approach, regulate equipment tendering and procurement, and make the "
        "project a model of clean government. Fourth, put stations to use while they are being "
        "built, bearing in mind that “building is the foundation, management is the key, and "
        "learning and application are what it is all for”, and guard against putting hardware "
        "before software or construction before use. Fifth, explore and innovate boldly, drawing "
        "on technical support from the telecommunications sector to carry out the required tasks "
        "well while taking creative initiatives of their own, so as to gain experience for the "
        "full rollout."
    ),
    "讲话最后强调，远程教育前景广阔、任务艰巨，基层党员群众期盼很高，对全省经济社会发展影响深远。各级组织部门要振奋精神、扎实工作，努力开创全省远程教育工作新局面。": (
        "The speech concluded by stressing that distance education has broad prospects but "
        "demanding tasks, that Party members and the public at the grassroots have high "
        "expectations of it, and that it will have a far-reaching impact on the province’s "
        "economic and social development. Organisation departments at every level must work with "
        "energy and diligence to open a new chapter in distance education across the province."
    ),
    # ------------------------------------------------------------------
    # Policy: zhandian-guanli-banfa-2025-xiuding
    # (document numbers such as 浙远教办〔2024〕3号 are kept as they are)
    # ------------------------------------------------------------------
    "浙江省农村党员干部现代远程教育终端接收站点管理办法（2025年修订）": (
        "Zhejiang Provincial Measures for the Management of Receiving Stations for Modern "
        "Distance Education of Rural Party Members and Cadres (2025 Revision)"
    ),
    "浙江省农村党员干部现代远程教育工作领导小组办公室": (
        "Office of the Zhejiang Provincial Leading Group for Modern Distance Education of Rural "
        "Party Members and Cadres"
    ),
    "适应站点基本覆盖全省乡镇和行政村后的管理需要，修订站点设置标准和管理员报酬条款，新增IPTV、5G站点运维和应急信息发布规定。": (
        "Meets the management needs that arise now that stations cover essentially every "
        "township and administrative village in the province: revises the standards for setting "
        "up stations and the provisions on administrators’ pay, and adds rules on operating and "
        "maintaining IPTV and 5G stations and on issuing emergency information."
    ),
    "IPTV": "IPTV",
    "根据2025年站点调整情况修订第三条、第九条，新增IPTV与5G站点运维、应急信息发布两条": (
        "Articles 3 and 9 revised in light of the 2025 station adjustments; two new articles added "
        "on IPTV and 5G station operation and maintenance and on issuing emergency information"
    ),
    "为适应全省站点基本覆盖乡镇和行政村后的管理需要，省远程教育办公室对《浙江省农村党员干部现代远程教育终端接收站点管理办法（试行）》（浙远教办〔2024〕3号）进行了修订，修订内容自2025年9月1日起施行。": (
        "To meet the management needs that arise now that stations cover essentially every "
        "township and administrative village in the province, the Provincial Distance Education "
        "Office has revised the Zhejiang Provincial Measures for the Management of Receiving "
        "Stations for Modern Distance Education of Rural Party Members and Cadres (Trial) "
        "(浙远教办〔2024〕3号). The revisions take effect on 1 September 2025."
    ),
    "修订后的第三条：站点可设在村级组织活动场所、农村文化礼堂或党群服务中心，使用面积一般不少于30平方米；接入方式可采用广电有线、卫星、电信IPTV或5G等，由县级远程教育办公室根据网络条件确定；海岛、高山等偏远地区可设立简易站点，标准适当放宽。": (
        "Article 3 as revised: A station may be located in a village-level organisation activity "
        "venue, a rural cultural auditorium or a Party and public service centre, and shall "
        "generally have a usable floor area of no less than 30 square metres. It may be connected "
        "by cable radio and television, satellite, telecom IPTV, 5G or other means, as determined "
        "by the county distance education office according to network conditions. Simplified "
        "stations may be set up in islands, high mountains and other remote areas, with the "
        "standards relaxed as appropriate."
    ),
    "修订后的第九条：站点管理员报酬由县级财政和村集体共同承担，每年不低于2400元；兼任文化礼堂管理员的，报酬可以统筹发放，但不得低于上述标准。": (
        "Article 9 as revised: The pay of station administrators shall be borne jointly by "
        "county-level public finances and the village collective and shall be no less than 2400 "
        "yuan a year. Where an administrator also manages the cultural auditorium, the two "
        "payments may be combined, provided the total is not below this standard."
    ),
    "新增第十二条：采用电信IPTV或5G方式接入的站点，由县级远程教育办公室与电信运营企业签订运维服务协议，明确故障响应时限，一般故障48小时内修复，偏远地区不超过72小时。": (
        "New Article 12: For stations connected by telecom IPTV or 5G, the county distance "
        "education office shall sign an operation and maintenance service agreement with the "
        "telecom operator that sets fault response times. Ordinary faults shall be repaired "
        "within 48 hours, or within 72 hours in remote areas."
    ),
    "新增第十三条：在防汛防台、森林防火等应急期间，站点应按照当地党委政府的要求及时播发预警和避险信息，站点管理员实行应急值班。": (
        "New Article 13: During emergencies such as flood and typhoon prevention or forest fire "
        "prevention, stations shall promptly broadcast warnings and safety information as "
        "required by the local Party committee and government, and station administrators shall "
        "be on emergency duty."
    ),
    "其余条款维持不变，原第十一条调整为第十四条。本办法由省远程教育办公室负责解释。": (
        "All other articles remain unchanged, and former Article 11 becomes Article 14. The "
        "Provincial Distance Education Office is responsible for interpreting these Measures."
    ),
}
