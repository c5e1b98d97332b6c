using System.Numerics;

namespace ThreatBriefBot.Core.Items;

/// <summary>
/// A 64-bit SimHash of a story's normalised title and summary over 3-word shingles: texts that share most of their
/// shingles get fingerprints a few bits apart, so the same story syndicated with light edits is found by Hamming
/// distance while different stories land about 32 bits apart. Fingerprints are stored, so the normalisation, the
/// shingle size and the hash below must not change without recomputing them.
/// </summary>
/// <param name="Value">The 64 bits.</param>
public readonly record struct StoryFingerprint(ulong Value)
{
    /// <summary>A text of fewer words gets no fingerprint: so few shingles match unrelated stories too easily.</summary>
    public const int MinimumWords = 8;

    /// <summary>Words per shingle.</summary>
    public const int ShingleWords = 3;

    /// <summary>The fingerprint is indexed as this many bands of <see cref="BandBits"/> bits each.</summary>
    public const int BandCount = 4;

    public const int BandBits = 16;

    /// <summary>
    /// The largest distance <see cref="BandProbes"/> can search exhaustively: by pigeonhole, two fingerprints up to 3
    /// bits apart share a band exactly, and up to 7 bits apart have a band at most one bit apart.
    /// </summary>
    public const int MaxSearchableDistance = (2 * BandCount) - 1;

    private const ulong FnvOffsetBasis = 14695981039346656037;
    private const ulong FnvPrime = 1099511628211;

    /// <summary>The fingerprint of the text, or null when it has fewer than <see cref="MinimumWords"/> words.</summary>
    public static StoryFingerprint? Compute(string title, string summary)
    {
        var words = ItemIdentity.NormaliseText(title + " " + summary).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < MinimumWords)
        {
            return null;
        }

        Span<int> votes = stackalloc int[64];
        for (var start = 0; start + ShingleWords <= words.Length; start++)
        {
            var hash = ShingleHash(words.AsSpan(start, ShingleWords));
            for (var bit = 0; bit < 64; bit++)
            {
                // +1 for a set bit, -1 for a clear one, without a branch the CPU cannot predict.
                votes[bit] += ((int)(hash >> bit & 1) << 1) - 1;
            }
        }

        var value = 0UL;
        for (var bit = 0; bit < 64; bit++)
        {
            if (votes[bit] > 0)
            {
                value |= 1UL << bit;
            }
        }

        return new StoryFingerprint(value);
    }

    /// <summary>How many bits differ: 0 for the same text, about 32 for unrelated ones.</summary>
    public int DistanceTo(StoryFingerprint other) => BitOperations.PopCount(Value ^ other.Value);

    /// <summary>Band <paramref name="index"/> (0 holds the lowest bits), as a value in 0..65535.</summary>
    public int Band(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, BandCount);
        return (int)(Value >> (index * BandBits) & 0xFFFF);
    }

    /// <summary>
    /// For each band, the values that any fingerprint within <paramref name="maxDistance"/> bits of this one has in
    /// that band, for one of the bands at least: this band's own value, plus its one-bit neighbours from distance 4.
    /// </summary>
    public IReadOnlyList<int>[] BandProbes(int maxDistance)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxDistance);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxDistance, MaxSearchableDistance);
        var probes = new IReadOnlyList<int>[BandCount];
        for (var index = 0; index < BandCount; index++)
        {
            var band = Band(index);
            probes[index] = maxDistance < BandCount
                ? [band]
                : [band, .. Enumerable.Range(0, BandBits).Select(bit => band ^ (1 << bit))];
        }

        return probes;
    }

    // FNV-1a over the UTF-16 code units of the shingle's words (a space between them), then MurmurHash3's fmix64
    // finaliser: FNV alone leaves its low bits as little more than parities of the input, which would bias SimHash's
    // per-bit votes. Both are fixed by their specifications, so stored fingerprints stay comparable across releases.
    private static ulong ShingleHash(ReadOnlySpan<string> words)
    {
        var hash = FnvOffsetBasis;
        for (var i = 0; i < words.Length; i++)
        {
            if (i > 0)
            {
                hash = (hash ^ ' ') * FnvPrime;
            }

            foreach (var c in words[i])
            {
                hash = (hash ^ c) * FnvPrime;
            }
        }

        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccd;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53;
        hash ^= hash >> 33;
        return hash;
    }
}
