namespace ThreatBriefBot.Microbenchmarks;

/// <summary>News items of the sizes the classifier meets: headline-only, a short article, a long article.</summary>
/// <remarks>Written for these benchmarks (not taken from the dev set), each a positive or a hard negative.</remarks>
internal static class SampleItems
{
    private const string ArticlePositive =
        "A ransomware gang linked to Russia has claimed responsibility for an attack that took down the booking systems " +
        "of a Japanese logistics company, forcing it to halt shipments from its ports in Nagoya and Osaka. The company " +
        "said attackers encrypted servers on Tuesday night and demanded a payment in bitcoin. Investigators from Japan's " +
        "National Police Agency are working with the FBI to trace the intrusion, which began with a phishing email " +
        "sent to an employee. Exports of car parts to the United States were delayed by two days, and the firm warned " +
        "that customer data may have been stolen before the encryption began.";

    private const string ArticleHardNegative =
        "The Boston Celtics completed a trade with the Denver Nuggets hours before the deadline, sending two second-round " +
        "picks west for a veteran guard. The coach said the business climate in the league rewards teams that move early. " +
        "Meanwhile the guard's former teammate, who survived a heart attack last spring, was cleared to return after " +
        "doctors found no sign of the virus that sidelined him in January. Fans packed the arena for a trade show on " +
        "sports memorabilia, where a signed carbon-fibre bike sold for a record price, and a local reporter shared a " +
        "few tricks of the trade for getting autographs.";

    /// <summary>About 5,000 characters: a long feature with background paragraphs, as full-text feeds carry.</summary>
    private const string LongArticle =
        ArticlePositive + "\n\n" +
        "The attack is the latest in a wave of intrusions against shipping and logistics firms across Asia. Security " +
        "researchers at a Singapore firm said the same group used a vulnerability in a popular file-transfer product " +
        "that had been patched in March but not applied by many companies. Once inside, the hackers moved laterally, " +
        "disabled backups and deployed their malware across more than four hundred machines within a few hours.\n\n" +
        "Officials in Tokyo said the government would review its cyber defence policy for critical infrastructure and " +
        "may require companies that run ports to report breaches within seventy-two hours. The trade ministry is also " +
        "considering whether export controls on surveillance software should be tightened, after reports that tools " +
        "sold to brokers in the region ended up in the hands of criminal groups.\n\n" +
        "In Washington, the Treasury Department said it was studying sanctions against the individuals behind the " +
        "group, which it accused of extorting hospitals, schools and a pipeline operator over the past two years. A " +
        "spokesperson said the United States would coordinate with allies, including Australia and the United Kingdom, " +
        "on any measures. Analysts noted that previous sanctions had pushed some affiliates to rebrand rather than stop.\n\n" +
        ArticleHardNegative + "\n\n" +
        "Back at the port, trucks lined up along the coastal road as staff processed paperwork by hand. A driver said " +
        "the queue stretched for three kilometres at its worst, and some drivers slept in their cabs. Retailers in Osaka " +
        "reported empty shelves for imported fruit, and a car maker said it would slow an assembly line for a day " +
        "because parts were stuck in containers that could not be released without the booking system.\n\n" +
        "The company's chief executive apologised at a press conference and said it had not paid the ransom. He said " +
        "systems would be restored from offline copies over the weekend, and that an outside firm was checking every " +
        "server for traces of the intruders before it is reconnected. Shares in the company fell six percent in Tokyo " +
        "trading, while shares in two rival carriers rose on expectations that customers would switch.\n\n" +
        "Experts said the episode shows how exposed supply chains have become. A professor of information security at " +
        "Keio University said that many mid-sized firms still run old software at the edge of their networks because " +
        "replacing it would interrupt operations. She said the cost of that choice was now visible: a single unpatched " +
        "server had stopped a national logistics network for nearly a week, and the data stolen could be used in " +
        "further fraud against its customers and suppliers for months to come.\n\n" +
        "The weather added to the disruption. A warm front brought heavy rain to the Kansai region on Thursday, and " +
        "forecasters said a sunny weekend would follow, welcome news for the drivers still waiting at the gates. The " +
        "port authority said it expected the backlog to clear by Monday if the restored systems held up.";

    public static IReadOnlyDictionary<string, (string Title, string Text)> All { get; } = new Dictionary<string, (string, string)>(StringComparer.Ordinal)
    {
        ["headline+"] = ("Ransomware gang cripples Tokyo hospital, patient records encrypted", ""),
        ["headline-"] = ("Heart attack survivor runs Boston marathon; Celtics make trade at deadline", ""),
        ["600 chars+"] = ("Ransomware attack halts Japanese ports", ArticlePositive),
        ["600 chars-"] = ("Celtics swing deadline trade as business climate heats up", ArticleHardNegative),
        ["5000 chars+"] = ("Ransomware attack halts Japanese ports as sanctions are weighed", LongArticle),
    };
}
