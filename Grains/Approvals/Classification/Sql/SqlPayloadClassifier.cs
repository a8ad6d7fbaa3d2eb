using System.Text.Json;
using Microsoft.Extensions.Options;

namespace AgentCluster.Grains.Approvals.Classification.Sql;

/// <summary><c>db.execute</c> <c>{"sql": "…"}</c>: Reversible only for one certainly read-only statement.</summary>
public sealed class SqlPayloadClassifier(IOptions<ClassificationOptions> options) : IPayloadClassifier
{
    public const string ActionName = "db.execute";

    private readonly SqlReadOnlyCheck _check = new(options.Value.Sql);

    public string Action => ActionName;

    public ActionClassification Classify(JsonElement payload)
    {
        if (!PayloadFields.TryGetString(payload, "sql", out var sql))
            return PayloadFields.Malformed(ActionName, "sql");
        return _check.Refusal(sql) is { } refusal
            ? ActionClassification.Irreversible($"{ActionName}: {refusal}")
            : ActionClassification.Reversible($"{ActionName}: a single read-only statement");
    }
}
