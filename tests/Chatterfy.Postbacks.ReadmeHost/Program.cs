using Chatterfy.Postbacks.AspNetCore.Authentication;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddChatterfyPostbacks(builder.Configuration.GetSection("Postbacks")).UseSqlite("postbacks.db")
    .AddDashboard();                                 // the dashboard's services
builder.Services.AddAuthentication(ChatterfyApiKeyDefaults.AuthenticationScheme)
    .AddChatterfyApiKey(builder.Configuration.GetSection("Tracker")); // the API keys: Tracker:Keys:0, Tracker:Keys:1, …
builder.Services.AddAuthorization();

var app = builder.Build();
app.MapChatterfyPostbacks();                         // networks call these URLs (anonymous)
app.MapChatterfyTrackerApi().RequireAuthorization(); // sets, clicks, links, stats, postback log (X-Api-Key)
app.MapChatterfyDashboard("/postbacks-admin").RequireAuthorization(); // the web UI: sign in with one of the keys
app.Run();
