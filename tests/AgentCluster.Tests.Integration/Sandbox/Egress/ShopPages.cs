using AgentCluster.Tests.Integration.Infrastructure;

namespace AgentCluster.Tests.Integration.Sandbox.Egress;

/// <summary>
/// What the shop upstream serves: pages made of big solid blocks at known places, so a screenshot
/// shows what the browser really loaded, and leak-surface pages that paint their verdict
/// (<see cref="Pass"/> or <see cref="Fail"/>) over the whole page once they know it.
/// </summary>
public static class ShopPages
{
    public static readonly (byte R, byte G, byte B) Green = (0, 160, 0), Blue = (0, 0, 220), Yellow = (255, 200, 0),
        Magenta = (200, 0, 200), Teal = (0, 128, 128), Grey = (128, 128, 128), Orange = (255, 128, 0),
        Pass = (0, 160, 0), Fail = (220, 0, 0), Cyan = (0, 200, 200);

    /// <summary>The typed text lands in this field (page coordinates, from the page's top-left).</summary>
    public static readonly (int X, int Y) Field = (300, 130), Buy = (750, 200), YellowBlock = (250, 500);

    /// <summary>A corner of the Buy button, clear of its label.</summary>
    public static readonly (int X, int Y) BuyCorner = (620, 120);

    public static (IReadOnlyList<(string Name, string Value)> Headers, string Body) Answer(ReceivedRequest request, int elsewherePort)
    {
        var target = request.RequestLine.Split(' ')[1];
        var body = target.Split('?')[0] switch
        {
            "/shop" => Page(Green, $$"""
                <form method="POST" action="/buy">
                <input name="item" autocomplete="off" style="position:absolute;left:100px;top:100px;width:400px;height:60px;font-size:30px;border:0">
                <button type="submit" style="position:absolute;left:600px;top:100px;width:300px;height:200px;background:rgb(0,0,220);border:0">Buy</button>
                </form>
                <div style="position:absolute;left:100px;top:400px;width:300px;height:200px;background:rgb(255,200,0)"></div>
                <img src="https://127.0.0.1:{{elsewherePort}}/pixel.png" width="1" height="1" style="position:absolute;left:0;top:0">
                """),
            "/buy" => Page(Magenta, "thanks"),
            "/leak/login" => Page(Teal, """
                <style>input{position:absolute;left:100px;width:400px;height:60px;font-size:30px;border:0;background:white}
                input:-webkit-autofill,input:autofill{box-shadow:0 0 0 1000px rgb(220,0,0) inset}</style>
                <form method="GET" action="/leak/welcome">
                <input name="user" autocomplete="username" style="top:100px">
                <input name="pass" type="password" autocomplete="current-password" style="top:200px">
                <button type="submit" style="position:absolute;left:600px;top:100px;width:300px;height:160px;border:0;background:rgb(0,0,220)">Sign in</button>
                </form>
                """),
            "/leak/welcome" => Page(Teal, ""),
            "/leak/permissions" => Page(Grey, Verdict("""
                (async () => {
                  const before = Notification.permission;
                  const asked = await Notification.requestPermission();
                  const geo = (await navigator.permissions.query({ name: 'geolocation' })).state;
                  const notes = (await navigator.permissions.query({ name: 'notifications' })).state;
                  return before === 'denied' && asked === 'denied' && geo === 'denied' && notes === 'denied';
                })().then(paint, () => paint(false));
                """)),
            "/leak/clipboard" => Page(Grey, Verdict("""
                document.body.addEventListener('click', async () => {
                  try { await navigator.clipboard.readText(); paint(false); }
                  catch { paint((await navigator.permissions.query({ name: 'clipboard-read' })).state === 'denied'); }
                });
                """)),
            "/leak/file" => Page(Grey, """
                <input type="file" style="position:absolute;left:100px;top:100px;width:400px;height:100px"
                  onclick="document.getElementById('clicked').style.display='block'">
                <div id="clicked" style="display:none;position:absolute;left:100px;top:300px;width:200px;height:100px;background:rgb(0,200,200)"></div>
                """),
            "/leak/plain" => Page(Orange, ""),
            _ => "not here",
        };
        return ([("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")], body);
    }

    private static string Page((byte R, byte G, byte B) background, string content) =>
        $"<!doctype html><html><head><title>shop</title></head><body style=\"margin:0;height:100vh;background:rgb({background.R},{background.G},{background.B})\">{content}</body></html>";

    /// <summary>A script that ends with <c>paint(true|false)</c>: the whole page turns <see cref="Pass"/> or <see cref="Fail"/>.</summary>
    private static string Verdict(string script) =>
        "<script>function paint(ok){document.body.style.background=ok?'rgb(0,160,0)':'rgb(220,0,0)';}\n" + script + "</script>";
}
