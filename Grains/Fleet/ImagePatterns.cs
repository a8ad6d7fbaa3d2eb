using System.Text.RegularExpressions;

namespace AgentCluster.Grains.Fleet;

/// <summary>Image patterns as tenants and the fleet write them: <c>*</c> matches any run of characters, nothing else is special.</summary>
public static class ImagePatterns
{
    public static bool Matches(string pattern, string image) =>
        Regex.IsMatch(image, "^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant);
}
