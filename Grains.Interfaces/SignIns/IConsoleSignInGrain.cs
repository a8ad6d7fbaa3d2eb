namespace AgentCluster.Grains.SignIns;

/// <summary>
/// One browser's sign-in to the operator's console, keyed by the SHA-256 of its cookie (never the
/// cookie itself), so no grain id, dashboard or storage row holds a usable cookie. Any silo of the
/// cluster finds it, and it outlives the silo that opened it.
/// </summary>
[Alias("AgentCluster.Grains.SignIns.IConsoleSignInGrain")]
public interface IConsoleSignInGrain : IGrainWithStringKey
{
    /// <summary>False when this key already had a sign-in: a cookie is never reused.</summary>
    [Alias("Open")]
    Task<bool> Open(ConsoleSignIn signIn);

    /// <summary>Null unless it is open and neither past its expiry nor idle too long; a use counts against idleness.</summary>
    [Alias("Check")]
    Task<ConsoleSignIn?> Check();

    /// <summary>What is stored, as it is: not a use, and nothing ends. Null once it is forgotten (diagnostics, tests).</summary>
    [Alias("Peek")]
    Task<ConsoleSignIn?> Peek();

    /// <summary>Idempotent; true when there was a sign-in to forget.</summary>
    [Alias("Forget")]
    Task<bool> Forget();
}
