using System.Security.Cryptography;
using System.Text;

namespace AgentCluster.Silo.Authentication;

/// <summary>
/// The second guard on a state change of a browser signed in by cookie, beside the intent header:
/// its sign-in's own token, which the pages carry in <c>&lt;meta name="agc-csrf"&gt;</c> and the
/// console's script sends back as a header. Another site can neither read it nor guess it.
/// </summary>
internal static class AntiForgery
{
    public const string HeaderName = "X-AgentCluster-Csrf";
    public const string MetaName = "agc-csrf";

    /// <summary>Compared in constant time, so the answer's timing tells nothing of the token.</summary>
    public static bool Matches(string expected, string? presented) =>
        presented is { Length: > 0 } && expected.Length > 0
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(presented));
}
