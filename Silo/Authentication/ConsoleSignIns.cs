using System.Net;
using AgentCluster.Grains.Audit;
using AgentCluster.Grains.SignIns;
using AgentCluster.Grains.Tenants;

namespace AgentCluster.Silo.Authentication;

/// <summary>
/// Signs browsers in to the console with an API key and knows them again by their cookie. The
/// sign-in lives in a grain keyed by the cookie's hash, so every silo of the cluster honours it and
/// a restart does not end it; the key is checked again on every use, so revoking it ends its
/// sign-ins at once. Sign-ins and sign-outs are audited by key id, never with a key or a cookie.
/// </summary>
internal sealed class ConsoleSignIns(IGrainFactory grains, IAuditLog audit, SignInThrottle throttle, TimeProvider clock)
{
    /// <summary>Longer than any API key: more is no key, and is not hashed.</summary>
    public const int MaxKeyLength = 512;

    public async Task<SignInAnswer> SignIn(string? key, IPAddress? remote)
    {
        if (!throttle.TryClaim(remote, out var retryAfter))
            return SignInAnswer.Throttled(retryAfter);
        var presented = key?.Trim() ?? "";
        var keyHash = presented.Length is > 0 and <= MaxKeyLength ? ApiKeyId.Hash(presented) : null;
        var info = keyHash is null ? null : await grains.GetGrain<IApiKeyGrain>(ApiKeyId.FromHash(keyHash)).Authenticate(keyHash);
        if (info is null)
        {
            // Nothing derived from what was typed goes on record: it may be a mistyped secret.
            await audit.AppendAsync(new AuditEvent(SystemTenant.Name, "anonymous", AuditKinds.ConsoleSignedIn, "console", AuditOutcomes.Denied,
                "unknown or revoked API key", AuditEvent.NoDetail.Add("remote", RemoteName(remote))));
            return SignInAnswer.Refused;
        }
        throttle.Succeeded(remote);

        var cookie = ConsoleSignInTokens.New();
        var cookieHash = ConsoleSignInTokens.Hash(cookie);
        var now = clock.GetUtcNow();
        var signIn = new ConsoleSignIn(keyHash!, info.Id, info.Tenant, ConsoleSignInTokens.New(), now, now + ConsoleSignIn.Lifetime,
            ConsoleSignIn.DefaultIdleTimeout);
        if (!await grains.GetGrain<IConsoleSignInGrain>(cookieHash).Open(signIn))
            throw new InvalidOperationException("a console sign-in cookie came out twice");
        await audit.AppendAsync(Event(signIn, AuditKinds.ConsoleSignedIn, cookieHash, ("remote", RemoteName(remote)),
            ("expiresAt", signIn.ExpiresAt.ToString("O"))));
        return new(SignInStatus.SignedIn, cookie, signIn, TimeSpan.Zero);
    }

    /// <summary>The key and the sign-in a cookie stands for, or null (unknown, ended, signed out, or its key revoked).</summary>
    public async Task<(ApiKeyInfo Key, ConsoleSignIn SignIn)?> Authenticate(string cookie)
    {
        var signInGrain = grains.GetGrain<IConsoleSignInGrain>(ConsoleSignInTokens.Hash(cookie));
        if (await signInGrain.Check() is not { } signIn)
            return null;
        if (await grains.GetGrain<IApiKeyGrain>(signIn.KeyId).Authenticate(signIn.KeyHash) is not { } key)
        {
            await signInGrain.Forget();
            return null;
        }
        return (key, signIn);
    }

    /// <summary>Forgets the sign-in of <paramref name="cookie"/>; true when there was one.</summary>
    public async Task<bool> SignOut(string cookie, ConsoleSignIn signIn)
    {
        var cookieHash = ConsoleSignInTokens.Hash(cookie);
        if (!await grains.GetGrain<IConsoleSignInGrain>(cookieHash).Forget())
            return false;
        await audit.AppendAsync(Event(signIn, AuditKinds.ConsoleSignedOut, cookieHash));
        return true;
    }

    /// <summary>A browser that signs in again leaves its old sign-in behind: it is forgotten, not left to expire.</summary>
    public Task Abandon(string cookie) => grains.GetGrain<IConsoleSignInGrain>(ConsoleSignInTokens.Hash(cookie)).Forget();

    /// <summary>The sign-in that authenticated this request, when it came with a cookie.</summary>
    public static ConsoleSignIn? Current(HttpContext http) => http.Items[typeof(ConsoleSignIn)] as ConsoleSignIn;

    public static void SetCurrent(HttpContext http, ConsoleSignIn signIn) => http.Items[typeof(ConsoleSignIn)] = signIn;

    private static AuditEvent Event(ConsoleSignIn signIn, string kind, string cookieHash, params (string Key, string Value)[] detail) =>
        new(signIn.Tenant, signIn.KeyId, kind, "signin:" + ConsoleSignInTokens.HashPrefix(cookieHash), AuditOutcomes.Success, "",
            AuditEvent.NoDetail.AddRange(detail.Select(d => KeyValuePair.Create(d.Key, d.Value))));

    private static string RemoteName(IPAddress? remote) => remote?.ToString() ?? "unknown";
}

internal enum SignInStatus { SignedIn, Refused, Throttled }

internal sealed record SignInAnswer(SignInStatus Status, string? Cookie, ConsoleSignIn? SignIn, TimeSpan RetryAfter)
{
    public static readonly SignInAnswer Refused = new(SignInStatus.Refused, null, null, TimeSpan.Zero);

    public static SignInAnswer Throttled(TimeSpan retryAfter) => new(SignInStatus.Throttled, null, null, retryAfter);
}
