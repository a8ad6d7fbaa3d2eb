using System.Text;
using AgentCluster.Proxy.Approvals;

namespace AgentCluster.Tests.Unit.Proxy.Approvals;

public sealed class BodyPreviewTests
{
    private static string? Show(string? contentType, string body, bool truncated = false) =>
        BodyPreview.Show(contentType, Encoding.UTF8.GetBytes(body), truncated)?.ToJsonString();

    [Fact]
    public void A_form_reads_as_its_fields_a_repeated_one_as_a_list()
    {
        Assert.Equal("""{"amount":"2000","to":"a b","tag":["x","y"],"flag":""}""",
            Show("application/x-www-form-urlencoded; charset=utf-8", "amount=2000&to=a+b&tag=x&tag=%79&flag"));
    }

    [Fact]
    public void Json_reads_as_itself_unless_cut_or_broken()
    {
        Assert.Equal("""{"amount":1}""", Show("application/json", """{"amount":1}"""));
        Assert.Equal("""{"a":1}""", Show("application/merchant+json", """{"a":1}"""));
        Assert.Equal("\"{\\u0022amount\\u0022:1\"", Show("application/json", """{"amount":1""", truncated: true));
        Assert.Equal("\"{oops\"", Show("application/json", "{oops"));
    }

    [Fact]
    public void Other_text_reads_as_text_and_binary_as_nothing()
    {
        Assert.Equal("\"hello\"", Show("text/plain", "hello"));
        Assert.Null(BodyPreview.Show("application/octet-stream", [0x00, 0xff, 0x10], false));
    }

    [Fact]
    public void A_cut_through_a_character_leaves_the_character_out()
    {
        var bytes = Encoding.UTF8.GetBytes("prix: 5€");
        Assert.Equal("\"prix: 5\"", BodyPreview.Show("text/plain", bytes.AsSpan(0, bytes.Length - 1), true)?.ToJsonString());
    }
}
