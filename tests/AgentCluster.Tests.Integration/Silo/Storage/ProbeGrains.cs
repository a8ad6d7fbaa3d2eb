namespace AgentCluster.Tests.Integration.Silo.Storage;

/// <summary>A grain that exercises the ADO.NET grain storage and reminder providers.</summary>
public interface IStorageProbe : IGrain
{
    Task<ProbeSnapshot> Write(string value);

    Task<ProbeSnapshot> Read();

    Task<ProbeSnapshot> Clear();

    Task Deactivate();

    Task RegisterReminder();

    Task<bool> HasReminder();

    Task UnregisterReminder();
}

// Two key kinds on purpose: a string key is stored in GrainIdExtensionString, an integer key
// leaves it NULL, and the queries must match both. The integer one also uses the other way to
// clear state (deleting the row).
public interface IStringProbeGrain : IStorageProbe, IGrainWithStringKey;

public interface IIntegerProbeGrain : IStorageProbe, IGrainWithIntegerKey;

[GenerateSerializer]
public sealed record ProbeSnapshot(
    [property: Id(0)] string? Value,
    [property: Id(1)] string? ETag,
    [property: Id(2)] bool RecordExists,
    [property: Id(3)] Guid Activation);

[GenerateSerializer]
public sealed class ProbeState
{
    [Id(0)]
    public string? Value { get; set; }
}

public abstract class ProbeGrain(IPersistentState<ProbeState> state) : Grain, IStorageProbe, IRemindable
{
    public const string StorageName = "probe-store";

    /// <summary>Configured with DeleteStateOnClear, so clearing uses DeleteStorageKey.</summary>
    public const string DeletingStorageName = "probe-store-deleting";
    private const string ReminderName = "probe";

    private readonly Guid _activation = Guid.NewGuid();

    public async Task<ProbeSnapshot> Write(string value)
    {
        state.State.Value = value;
        await state.WriteStateAsync();
        return Snapshot();
    }

    public Task<ProbeSnapshot> Read() => Task.FromResult(Snapshot());

    public async Task<ProbeSnapshot> Clear()
    {
        await state.ClearStateAsync();
        return Snapshot();
    }

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task RegisterReminder() =>
        this.RegisterOrUpdateReminder(ReminderName, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10));

    public async Task<bool> HasReminder() => await this.GetReminder(ReminderName) is not null;

    public async Task UnregisterReminder()
    {
        if (await this.GetReminder(ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;

    private ProbeSnapshot Snapshot() => new(state.State.Value, state.Etag, state.RecordExists, _activation);
}

public sealed class StringProbeGrain([PersistentState("probe", ProbeGrain.StorageName)] IPersistentState<ProbeState> state)
    : ProbeGrain(state), IStringProbeGrain;

public sealed class IntegerProbeGrain([PersistentState("probe", ProbeGrain.DeletingStorageName)] IPersistentState<ProbeState> state)
    : ProbeGrain(state), IIntegerProbeGrain;
