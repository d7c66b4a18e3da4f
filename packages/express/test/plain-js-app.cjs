// A plain-JavaScript (CommonJS, sloppy mode) Express app written with express-session habits.
const express = require('express');
const { createSessionRepository } = require('@sess/core');
const { session } = require('@sess/express');
const { MemoryStore } = require('@sess/memory');

exports.createApp = function createApp() {
  const app = express();
  app.use(session({ repository: createSessionRepository({ store: new MemoryStore() }) }));
  app.get('/views', (req, res) => {
    req.session.views = (req.session.views || 0) + 1; // the express-session habit
    res.send('views: ' + req.session.views);
  });
  app.get('/regenerate', (req, res, next) => {
    req.session.regenerate((err) => {
      if (err) return next(err);
      req.session.set('user', 'alice');
      res.send('regenerated');
    });
  });
  app.get('/whoami', (req, res) => {
    res.send(String(req.session.get('user')));
  });
  app.use((err, _req, res, _next) => {
    res
      .status(500)
      .type('text/plain')
      .send(err.name + ': ' + err.message);
  });
  return app;
};
