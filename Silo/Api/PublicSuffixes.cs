using System.Globalization;
using System.Reflection;

namespace AgentCluster.Silo.Api;

/// <summary>
/// The Public Suffix List: names under which anyone may register their own (<c>com</c>,
/// <c>co.uk</c>, <c>github.io</c>). A secret sent to <c>*.github.io</c> goes to every stranger's
/// page there, so a host pattern that covers one is refused. Read from Debian's full list when the
/// machine has it, else from the embedded subset (<c>public-suffixes.dat</c>).
/// </summary>
internal sealed class PublicSuffixes
{
    public const string FileKey = "AgentCluster:Vault:PublicSuffixFile";
    public const string DebianFile = "/usr/share/publicsuffix/public_suffix_list.dat";

    private static readonly IdnMapping Idn = new();

    private readonly HashSet<string> _rules = new(StringComparer.Ordinal);
    private readonly HashSet<string> _wildcards = new(StringComparer.Ordinal);
    private readonly HashSet<string> _exceptions = new(StringComparer.Ordinal);

    /// <summary>Every name with a suffix (or a wildcard's base) at or below it.</summary>
    private readonly HashSet<string> _above = new(StringComparer.Ordinal);

    /// <summary>Rules in the list's format: one a line, <c>//</c> comments, <c>*.</c> wildcards, <c>!</c> exceptions.</summary>
    internal PublicSuffixes(IEnumerable<string> lines, string source)
    {
        Source = source;
        foreach (var rule in lines.Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("//", StringComparison.Ordinal)))
            Add(rule.Split(' ', '\t')[0]);
    }

    /// <summary>Where the rules came from: the file's path, or <c>embedded</c>.</summary>
    public string Source { get; }

    public int Count => _rules.Count + _wildcards.Count + _exceptions.Count;

    /// <summary>The full list at <paramref name="path"/> when it is there and readable, else the embedded subset.</summary>
    public static PublicSuffixes Load(string? path)
    {
        if (path is { Length: > 0 } && File.Exists(path))
        {
            try
            {
                var full = new PublicSuffixes(File.ReadLines(path), path);
                if (full.Count > 0)
                    return full;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Unreadable: the embedded subset still refuses the common suffixes.
            }
        }
        return Embedded();
    }

    public static PublicSuffixes Embedded()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("PublicSuffixes/public-suffixes.dat")
            ?? throw new InvalidOperationException("the public suffix subset is not embedded");
        using var reader = new StreamReader(stream);
        return new(reader.ReadToEnd().Split('\n'), "embedded");
    }

    /// <summary>
    /// The public suffix a <c>*.</c><paramref name="name"/> pattern reaches, or null: the name
    /// itself when it is one, else one below it (<c>*.amazonaws.com</c> reaches <c>s3.amazonaws.com</c>).
    /// </summary>
    public string? CoveredBy(string name)
    {
        name = name.TrimEnd('.').ToLowerInvariant();
        if (IsSuffix(name))
            return name;
        return _above.Contains(name) ? Below(name) : null;
    }

    /// <summary>The list's own algorithm: a rule, a wildcard's child that no exception names, or a top-level domain.</summary>
    public bool IsSuffix(string name) =>
        !name.Contains('.', StringComparison.Ordinal) || _rules.Contains(name)
        || (!_exceptions.Contains(name) && _wildcards.Contains(name[(name.IndexOf('.', StringComparison.Ordinal) + 1)..]));

    private string Below(string name) =>
        _rules.Concat(_wildcards.Select(w => "*." + w)).Where(r => r.EndsWith("." + name, StringComparison.Ordinal)).Order(StringComparer.Ordinal).First();

    private void Add(string rule)
    {
        var (set, name) = rule switch
        {
            _ when rule.StartsWith("*.", StringComparison.Ordinal) => (_wildcards, rule[2..]),
            _ when rule.StartsWith('!') => (_exceptions, rule[1..]),
            _ => (_rules, rule),
        };
        name = Ascii(name);
        set.Add(name);
        if (set == _exceptions)
            return;
        // Every parent of a rule, and a wildcard's own base, has a suffix below it.
        if (set == _wildcards)
            _above.Add(name);
        for (var dot = name.IndexOf('.', StringComparison.Ordinal); dot >= 0; dot = name.IndexOf('.', dot + 1))
            _above.Add(name[(dot + 1)..]);
    }

    /// <summary>Rules of internationalised names are written in Unicode; hosts are compared as punycode.</summary>
    private static string Ascii(string name)
    {
        try
        {
            return Idn.GetAscii(name).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return name.ToLowerInvariant();
        }
    }
}
