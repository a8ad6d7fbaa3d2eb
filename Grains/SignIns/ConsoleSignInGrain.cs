namespace AgentCluster.Grains.SignIns;

[GenerateSerializer]
public sealed class ConsoleSignInState
{
    [Id(0)] public ConsoleSignIn? SignIn { get; set; }

    /// <summary>Written at most once a <see cref="ConsoleSignInGrain.UseGranularity"/>, not on every request.</summary>
    [Id(1)] public DateTimeOffset LastUsedAt { get; set; }
}

/// <summary>
/// A console sign-in's life: a grain timer forgets it at its end (expiry or idleness), and a
/// reminder at its expiry does so too if no silo hosts it then (after a silo loss or a restart),
/// so storage does not keep sign-ins nobody can use.
/// </summary>
public sealed class ConsoleSignInGrain(
    [PersistentState("consoleSignIn", StorageNames.Default)] IPersistentState<ConsoleSignInState> state,
    TimeProvider clock) : Grain, IConsoleSignInGrain, IRemindable
{
    /// <summary>How stale the stored last use may be: idleness is counted from it after a reactivation.</summary>
    internal static readonly TimeSpan UseGranularity = TimeSpan.FromMinutes(1);

    private const string Backstop = "expiry-backstop";
    private static readonly TimeSpan BackstopPeriod = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan BackstopGrace = TimeSpan.FromSeconds(2);

    private IGrainTimer? _end;
    private DateTimeOffset _lastUsed;

    private ConsoleSignInState S => state.State;

    public override Task OnActivateAsync(CancellationToken ct)
    {
        _lastUsed = S.LastUsedAt;
        if (S.SignIn is not null)
            ArmEnd();
        return Task.CompletedTask;
    }

    public async Task<bool> Open(ConsoleSignIn signIn)
    {
        if (S.SignIn is not null)
            return false;
        S.SignIn = signIn;
        S.LastUsedAt = _lastUsed = clock.GetUtcNow();
        await state.WriteStateAsync();
        ArmEnd();
        await this.RegisterOrUpdateReminder(Backstop, Due(signIn.ExpiresAt) + BackstopGrace, BackstopPeriod);
        return true;
    }

    public async Task<ConsoleSignIn?> Check()
    {
        if (S.SignIn is not { } signIn)
            return null;
        var now = clock.GetUtcNow();
        if (now >= signIn.EndsAt(_lastUsed))
        {
            await Forget();
            return null;
        }
        _lastUsed = now;
        if (now - S.LastUsedAt >= UseGranularity)
        {
            S.LastUsedAt = now;
            await state.WriteStateAsync();
        }
        return signIn;
    }

    public Task<ConsoleSignIn?> Peek() => Task.FromResult(S.SignIn);

    public async Task<bool> Forget()
    {
        _end?.Dispose();
        _end = null;
        var had = S.SignIn is not null;
        if (had)
            await state.ClearStateAsync();
        if (await this.GetReminder(Backstop) is { } reminder)
            await this.UnregisterReminder(reminder);
        DeactivateOnIdle();
        return had;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (S.SignIn is not { } signIn || clock.GetUtcNow() >= signIn.EndsAt(_lastUsed))
            await Forget();
    }

    private TimeSpan Due(DateTimeOffset at)
    {
        var due = at - clock.GetUtcNow();
        return due > TimeSpan.Zero ? due : TimeSpan.Zero;
    }

    private void ArmEnd()
    {
        _end?.Dispose();
        _end = this.RegisterGrainTimer(OnEnd, new GrainTimerCreationOptions
        {
            DueTime = Due(S.SignIn!.EndsAt(_lastUsed)),
            Period = Timeout.InfiniteTimeSpan,
            Interleave = false,
        });
    }

    private async Task OnEnd(CancellationToken ct)
    {
        if (S.SignIn is not { } signIn)
            return;
        if (clock.GetUtcNow() >= signIn.EndsAt(_lastUsed))
            await Forget();
        else
            ArmEnd();
    }
}
