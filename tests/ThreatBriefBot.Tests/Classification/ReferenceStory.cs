namespace ThreatBriefBot.Tests.Classification;

/// <summary>The project's spec story (shared/seeds/000_5f7859ff63efa5e9.txt), page boilerplate stripped.</summary>
internal static class ReferenceStory
{
    public const string Title = "John Kerry: Cyberdefense a major part of Asian security";

    public const string Text = """
        The U.S. Secretary of State said Washington will work closely with Japan and China in addressing the recent increase in Internet attacks

        U.S. Secretary of State John Kerry called defending against cyberattacks a major part of maintaining security in Asia, and said Washington is forming working groups with China and Japan to address the issue.

        "Some of the most serious cyber threats to businesses emanate from this region, and they threaten the entire global economy," said Kerry, who spoke Monday at the Tokyo Institute of Technology.

        "That is precisely why we have established a cyber working group with Japan and another with China, in order to insure that the Asia-Pacific will be part of the solution," he said.

        Internet security is quickly becoming a major issue in international relations, specially in east Asia. When U.S. President Barack Obama met Japanese Prime Minister Shinzo Abe, cybersecurity was one of the topics discussed, with Abe welcoming cooperation from the U.S.

        In comments made Saturday in Beijing, Kerry said he met with Chinese leadership. In addition to other security issues, the two sides "also discussed cyber security, and we agreed there also that we will create an immediate working group because cyber security affects everybody."

        The U.S. is setting up the working group as China has been repeatedly blame for cyberattacks against international firms. China, in response, has denied backing any hacking attacks, and instead called on other nations to cooperate on Internet security.

        Major cybersecurity talks between U.S. and Japan are set for next month, according to Japanese media, including the possibility of tackling the issue under the countries' close military alliance. Japan's parliament, space agency, major weapons makers like Mitsubishi Heavy Industries, and prominent firms including Sony have all fallen victim to online attacks in recent years.

        South Korea said earlier this month that its military will cooperate with U.S. forces to strengthen the country's defenses against online attacks. That announcement came after a massive series of cyberattacks paralyzed computer networks at several South Korean banks and broadcasters, with many in the country openly speculating that they were launched by North Korean hackers.

        Kerry's comments on Monday came as part of a broader public speech that addressed regional issues such as recent tensions with North Korea and the creation of a broad trade agreement with Japan. He has met with national politicians and heads of business in several Asian countries on his trip, including Japan's top leadership.

        He also stressed the need to embrace environmental technologies and alternative sources of energy to address global warming, calling the issue "one of the most obvious shared challenges on the face of this planet."

        "To grow smart, we have to be willing to try new things," he said.

        Kerry repeatedly stressed that a new approach to environmental issues will also create business opportunities. Ten years ago, Chinese investment in energy-related projects in the U.S. totaled US$1 million, he said, a figure that grew to $9 billion last year.

        Kerry pointed out that Japanese leaders seeking to rebuild the country's northeast coast, much of which is still in shambles two years after being devastated by a major earthquake and tsunami, have turned to the U.S. for help and advice. But he also said the U.S. can learn from its main Pacific ally in environmental issues.

        "It takes the average Japanese household about three years to use as much energy as an American household uses in just one year. We have to do better," he said.
        """;
}
