using System.Globalization;
using System.Text.RegularExpressions;

namespace ThreatBriefBot.Feeds;

/// <summary>
/// Reads the dates feeds actually carry: RFC 822 and its many broken variants, W3CDTF/ISO 8601, asctime and a few
/// localised forms. An unreadable date is null, never "now" and never an exception.
/// </summary>
internal static partial class FeedDates
{
    private static readonly Dictionary<string, int> Months = new(StringComparer.OrdinalIgnoreCase)
    {
        ["jan"] = 1,
        ["feb"] = 2,
        ["mar"] = 3,
        ["apr"] = 4,
        ["may"] = 5,
        ["jun"] = 6,
        ["jul"] = 7,
        ["aug"] = 8,
        ["sep"] = 9,
        ["oct"] = 10,
        ["nov"] = 11,
        ["dec"] = 12,
        // Greek and Hungarian month names seen in the wild.
        ["ιαν"] = 1,
        ["φεβ"] = 2,
        ["μάώ"] = 3,
        ["μαώ"] = 3,
        ["απρ"] = 4,
        ["μάι"] = 5,
        ["μαϊ"] = 5,
        ["μαι"] = 5,
        ["ιούν"] = 6,
        ["ιον"] = 6,
        ["ιούλ"] = 7,
        ["ιολ"] = 7,
        ["αύγ"] = 8,
        ["αυγ"] = 8,
        ["σεπ"] = 9,
        ["οκτ"] = 10,
        ["νοέ"] = 11,
        ["νοε"] = 11,
        ["δεκ"] = 12,
        ["január"] = 1,
        ["február"] = 2,
        ["március"] = 3,
        ["április"] = 4,
        ["máujus"] = 5,
        ["május"] = 5,
        ["június"] = 6,
        ["július"] = 7,
        ["augusztus"] = 8,
        ["szeptember"] = 9,
        ["október"] = 10,
        ["november"] = 11,
        ["december"] = 12,
    };

    // Offsets in minutes; the US zones and the single letters are what publishers actually write.
    private static readonly Dictionary<string, int> Zones = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ut"] = 0,
        ["utc"] = 0,
        ["gmt"] = 0,
        ["z"] = 0,
        ["etc/gmt"] = 0,
        ["etc/utc"] = 0,
        ["est"] = -300,
        ["edt"] = -240,
        ["cst"] = -360,
        ["cdt"] = -300,
        ["mst"] = -420,
        ["mdt"] = -360,
        ["pst"] = -480,
        ["pdt"] = -420,
        ["ast"] = -240,
        ["adt"] = -180,
        ["akst"] = -540,
        ["akdt"] = -480,
        ["hst"] = -600,
        ["nst"] = -210,
        ["ndt"] = -150,
        ["at"] = -240,
        ["et"] = -300,
        ["ct"] = -360,
        ["mt"] = -420,
        ["pt"] = -480,
        ["bst"] = 60,
        ["ist"] = 330,
        ["wet"] = 0,
        ["west"] = 60,
        ["cet"] = 60,
        ["cest"] = 120,
        ["met"] = 60,
        ["mest"] = 120,
        ["mez"] = 60,
        ["mesz"] = 120,
        ["eet"] = 120,
        ["eest"] = 180,
        ["msk"] = 180,
        ["jst"] = 540,
        ["kst"] = 540,
        ["hkt"] = 480,
        ["sgt"] = 480,
        ["aest"] = 600,
        ["aedt"] = 660,
        ["acst"] = 570,
        ["awst"] = 480,
        ["nzst"] = 720,
        ["nzdt"] = 780,
        ["a"] = -60,
        ["n"] = 60,
        ["m"] = -720,
        ["y"] = 720,
    };

    public static DateTimeOffset? Parse(string? text)
    {
        // No real date is longer; a longer value is not worth a regex's time.
        if (string.IsNullOrWhiteSpace(text) || text.Length > 128)
        {
            return null;
        }

        var s = text.Trim();
        try
        {
            return ParseIso(s) ?? ParseRfc822(s) ?? ParseAsctime(s) ?? ParseHungarian(s) ?? ParseKorean(s) ?? ParsePerforce(s);
        }
        catch (ArgumentOutOfRangeException)
        {
            // A field in range for the pattern but not for the calendar (31 February, year 10000 after the offset).
            return null;
        }
    }

    /// <summary>Renders a date the way the contract and the logs want it: UTC, seconds, Z.</summary>
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset? ParseIso(string s)
    {
        var m = IsoRegex().Match(s);
        if (!m.Success)
        {
            return ParseIsoShort(s);
        }

        var year = int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture);
        var month = m.Groups["mo"].Success ? int.Parse(m.Groups["mo"].Value, CultureInfo.InvariantCulture) : 1;
        var day = m.Groups["d"].Success ? int.Parse(m.Groups["d"].Value, CultureInfo.InvariantCulture) : 1;
        var offset = 0;
        if (m.Groups["z"].Success && !TryZone(m.Groups["z"].Value, out offset))
        {
            return null;
        }

        return Build(year, month, day, m.Groups["h"].Value, m.Groups["mi"].Value, m.Groups["s"].Value, offset) ?? ParseIsoShort(s);
    }

    // The compact ISO forms with two-digit years: 031231, 03-12-31, -0312, -03-12, 03335 (ordinal).
    private static DateTimeOffset? ParseIsoShort(string s)
    {
        var m = IsoShortRegex().Match(s);
        if (!m.Success)
        {
            return null;
        }

        var year = 2000 + int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture);
        if (m.Groups["ord"].Success)
        {
            var ordinal = int.Parse(m.Groups["ord"].Value, CultureInfo.InvariantCulture);
            if (ordinal < 1 || ordinal > (DateTime.IsLeapYear(year) ? 366 : 365))
            {
                return null;
            }

            // feedparser reads an ordinal date as the first of its month.
            var date = new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(ordinal - 1);
            return new DateTimeOffset(year, date.Month, 1, 0, 0, 0, TimeSpan.Zero);
        }

        var month = int.Parse(m.Groups["mo"].Value, CultureInfo.InvariantCulture);
        var day = m.Groups["d"].Success ? int.Parse(m.Groups["d"].Value, CultureInfo.InvariantCulture) : 1;
        return Build(year, month, day, "", "", "", 0);
    }

    private static DateTimeOffset? ParseRfc822(string s)
    {
        var m = Rfc822Regex().Match(s);
        if (!m.Success)
        {
            m = Rfc822MonthFirstRegex().Match(s);
            if (!m.Success)
            {
                return null;
            }
        }

        if (!TryMonth(m.Groups["mon"].Value, out var month))
        {
            return null;
        }

        var yearText = m.Groups["y"].Value;
        var year = int.Parse(yearText, CultureInfo.InvariantCulture);
        if (yearText.Length == 2)
        {
            year += year < 70 ? 2000 : 1900;
        }

        var offset = 0;
        if (m.Groups["z"].Success && m.Groups["z"].Value.Length > 0 && !TryZone(m.Groups["z"].Value, out offset))
        {
            return null;
        }

        return Build(year, month, int.Parse(m.Groups["d"].Value, CultureInfo.InvariantCulture),
            m.Groups["h"].Value, m.Groups["mi"].Value, m.Groups["s"].Value, offset);
    }

    private static DateTimeOffset? ParseAsctime(string s) => ParseNamedMonth(AsctimeRegex().Match(s));

    // Hungarian: "2004-július-13T9:15-05:00".
    private static DateTimeOffset? ParseHungarian(string s) => ParseNamedMonth(HungarianRegex().Match(s));

    /// <summary>A match with groups y, mon (a month name), d, h, mi, s and an optional zone z.</summary>
    private static DateTimeOffset? ParseNamedMonth(Match m)
    {
        if (!m.Success || !TryMonth(m.Groups["mon"].Value, out var month))
        {
            return null;
        }

        var offset = 0;
        if (m.Groups["z"].Success && !TryZone(m.Groups["z"].Value, out offset))
        {
            return null;
        }

        return Build(int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture), month,
            int.Parse(m.Groups["d"].Value, CultureInfo.InvariantCulture),
            m.Groups["h"].Value, m.Groups["mi"].Value, m.Groups["s"].Value, offset);
    }

    // Korean blogs: "2004-05-25 오후 11:23:17" (PM marker) and "2004년 05월 28일 01:31:15", both in KST.
    private static DateTimeOffset? ParseKorean(string s)
    {
        var m = KoreanRegex().Match(s);
        if (!m.Success)
        {
            return null;
        }

        var hour = int.Parse(m.Groups["h"].Value, CultureInfo.InvariantCulture);
        if (m.Groups["ampm"].Value == "오후" && hour < 12)
        {
            hour += 12;
        }

        return Build(int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture),
            int.Parse(m.Groups["mo"].Value, CultureInfo.InvariantCulture),
            int.Parse(m.Groups["d"].Value, CultureInfo.InvariantCulture),
            hour.ToString(CultureInfo.InvariantCulture), m.Groups["mi"].Value, m.Groups["s"].Value, 540);
    }

    // Perforce: "Fri, 2006/09/15 08:19:53 EDT".
    private static DateTimeOffset? ParsePerforce(string s)
    {
        var m = PerforceRegex().Match(s);
        if (!m.Success)
        {
            return null;
        }

        var offset = 0;
        if (m.Groups["z"].Success && !TryZone(m.Groups["z"].Value, out offset))
        {
            return null;
        }

        return Build(int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture),
            int.Parse(m.Groups["mo"].Value, CultureInfo.InvariantCulture),
            int.Parse(m.Groups["d"].Value, CultureInfo.InvariantCulture),
            m.Groups["h"].Value, m.Groups["mi"].Value, m.Groups["s"].Value, offset);
    }

    private static DateTimeOffset? Build(int year, int month, int day, string hour, string minute, string second, int offsetMinutes)
    {
        var h = hour.Length > 0 ? int.Parse(hour, CultureInfo.InvariantCulture) : 0;
        var mi = minute.Length > 0 ? int.Parse(minute, CultureInfo.InvariantCulture) : 0;
        var sec = second.Length > 0 ? (int)double.Parse(second, CultureInfo.InvariantCulture) : 0;
        if (year < 1 || year > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || h > 23 || mi > 59 || sec > 60)
        {
            return null;
        }

        // A leap second is read as the last second of the minute rather than refused.
        sec = Math.Min(sec, 59);
        var local = new DateTime(year, month, day, h, mi, sec, DateTimeKind.Unspecified);
        var utc = local.AddMinutes(-offsetMinutes);
        return new DateTimeOffset(utc, TimeSpan.Zero);
    }

    private static bool TryMonth(string name, out int month)
    {
        var key = name.Trim('.').ToLowerInvariant();
        return Months.TryGetValue(key, out month)
            || (key.Length > 3 && key.All(char.IsAsciiLetter) && Months.TryGetValue(key[..3], out month));
    }

    private static bool TryZone(string zone, out int minutes)
    {
        var z = zone.Trim();
        if (Zones.TryGetValue(z, out minutes))
        {
            return true;
        }

        var m = OffsetRegex().Match(z);
        if (!m.Success)
        {
            return false;
        }

        var hours = int.Parse(m.Groups["h"].Value, CultureInfo.InvariantCulture);
        var mins = m.Groups["m"].Success ? int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture) : 0;
        if (hours > 23 || mins > 59)
        {
            return false;
        }

        minutes = (hours * 60 + mins) * (m.Groups["sign"].Value == "-" ? -1 : 1);
        return true;
    }

    [GeneratedRegex(@"^(?<y>\d{4})(?:-?(?<mo>\d{2,3})(?:-?(?<d>\d{2}))?)?(?:(?:T|\s+)(?<h>\d{1,2}):?(?<mi>\d{2})(?::?(?<s>\d{2}(?:\.\d+)?))?\s*(?<z>Z|[+-]\d{2}(?::?\d{2})?)?)?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex IsoRegex();

    [GeneratedRegex(@"^(?:(?<y>\d{2})-?(?<mo>\d{2})-?(?<d>\d{2})|-(?<y>\d{2})-?(?<mo>\d{2})|(?<y>\d{2})(?<ord>\d{3}))$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoShortRegex();

    [GeneratedRegex(@"^(?:[^\d\s,]+\s*,?\s*)?(?<d>\d{1,2})\s+(?<mon>[^\d\s,]+),?\s+(?<y>\d{4}|\d{2})(?:\s+(?<h>\d{1,2}):(?<mi>\d{2})(?::(?<s>\d{2}))?)?(?:\s*(?<z>(?:GMT|UTC)?[+-]\d{1,2}:?\d{2}|[A-Za-z]+(?:/[A-Za-z]+)?))?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc822Regex();

    // "Thu Aug 30 2012 17:26:16 +0200": month before day.
    [GeneratedRegex(@"^(?:[A-Za-z]+,?\s+)?(?<mon>[A-Za-z]+)\s+(?<d>\d{1,2}),?\s+(?<y>\d{4})(?:\s+(?<h>\d{1,2}):(?<mi>\d{2})(?::(?<s>\d{2}))?)?(?:\s*(?<z>(?:GMT|UTC)?[+-]\d{1,2}:?\d{2}|[A-Za-z]+))?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc822MonthFirstRegex();

    [GeneratedRegex(@"^[A-Za-z]+\s+(?<mon>[A-Za-z]+)\s+(?<d>\d{1,2})\s+(?<h>\d{1,2}):(?<mi>\d{2}):(?<s>\d{2})\s+(?:(?<z>[A-Za-z]+|[+-]\d{4})\s+)?(?<y>\d{4})$", RegexOptions.CultureInvariant)]
    private static partial Regex AsctimeRegex();

    [GeneratedRegex(@"^(?<y>\d{4})-(?<mon>\p{L}+)-(?<d>\d{1,2})(?:T(?<h>\d{1,2}):(?<mi>\d{2})(?::(?<s>\d{2}))?(?<z>Z|[+-]\d{2}:?\d{2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex HungarianRegex();

    [GeneratedRegex(@"^(?<y>\d{4})(?:-|년\s*)(?<mo>\d{2})(?:-|월\s*)(?<d>\d{2})일?\s+(?:(?<ampm>오전|오후)\s+)?(?<h>\d{1,2}):(?<mi>\d{2}):(?<s>\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex KoreanRegex();

    [GeneratedRegex(@"^(?:[A-Za-z]+,\s*)?(?<y>\d{4})/(?<mo>\d{2})/(?<d>\d{2})\s+(?<h>\d{1,2}):(?<mi>\d{2}):(?<s>\d{2})(?:\s+(?<z>[A-Za-z]+|[+-]\d{4}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex PerforceRegex();

    [GeneratedRegex(@"^(?:GMT|UTC)?(?<sign>[+-])(?<h>\d{1,2}):?(?<m>\d{2})?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex OffsetRegex();
}
