using System.Text;
using System.Text.Json;
using AgentCluster.Grains.Approvals.Gate;
using Microsoft.Extensions.Options;

namespace AgentCluster.Tests.Unit.Grains.Approvals.Gate;

public sealed class PayloadRedactorTests
{
    private static readonly PayloadRedactor Redactor = new(Options.Create(new GateOptions()));

    private static string Redact(string payload) => Redactor.Redact(Encoding.UTF8.GetBytes(payload));

    [Theory]
    [InlineData("""{"password": "hunter2", "user": "ann"}""", "hunter2")]
    [InlineData("""{"card": {"Card_Number": "4242424242424242", "exp": "12/30"}}""", "4242424242424242")]
    [InlineData("""{"items": [{"cvc": "123"}, {"cvc": "456"}]}""", "456")]
    [InlineData("""{"headers": {"Authorization": "Bearer sk_live_x"}}""", "sk_live_x")]
    [InlineData("""{"note": "use agc_AAAAAAAAAAAAAAAAAAAAAAAAAAAA now"}""", "agc_AAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Configured_fields_at_any_depth_and_our_tokens_anywhere_never_reach_the_approver(string payload, string hidden)
    {
        var shown = Redact(payload);
        Assert.DoesNotContain(hidden, shown);
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(shown).RootElement.ValueKind);
    }

    [Fact]
    public void Everything_else_is_shown_as_it_was_sent()
    {
        var shown = JsonDocument.Parse(Redact("""{"amount": 4200, "currency": "eur", "tags": ["a", 1, null, true]}""")).RootElement;
        Assert.Equal(4200, shown.GetProperty("amount").GetInt32());
        Assert.Equal("eur", shown.GetProperty("currency").GetString());
        Assert.Equal(4, shown.GetProperty("tags").GetArrayLength());
        Assert.Equal("[redacted]", JsonDocument.Parse(Redact("""{"token": {"nested": "x"}}""")).RootElement.GetProperty("token").GetString());
    }

    [Theory]
    [InlineData("not json: password=hunter2")]
    [InlineData("{\"a\": ")]
    [InlineData("")]
    public void A_payload_that_is_not_JSON_is_shown_only_by_its_size(string payload)
    {
        var shown = Redact(payload);
        Assert.Equal($"[not JSON: {Encoding.UTF8.GetByteCount(payload)} bytes]", shown);
    }

    [Fact]
    public void Fields_to_redact_come_from_configuration()
    {
        var redactor = new PayloadRedactor(Options.Create(new GateOptions { RedactFields = ["iban"] }));
        var shown = redactor.Redact(Encoding.UTF8.GetBytes("""{"IBAN": "DE89370400440532013000", "password": "p"}"""));
        Assert.DoesNotContain("DE89370400440532013000", shown);
        Assert.Contains("\"password\":\"p\"", shown);
    }
}
