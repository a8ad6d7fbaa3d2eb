namespace AgentCluster.Benchmarks;

/// <summary><c>--name value</c> pairs.</summary>
internal static class BenchmarkArgs
{
    public static Dictionary<string, string> Parse(IEnumerable<string> args)
    {
        var list = args.ToList();
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < list.Count; i += 2)
        {
            if (list[i].StartsWith("--", StringComparison.Ordinal))
                options[list[i][2..]] = list[i + 1];
        }
        return options;
    }

    public static int Int(this Dictionary<string, string> options, string name, int fallback) =>
        options.TryGetValue(name, out var value) && int.TryParse(value, out var n) && n > 0 ? n : fallback;
}
