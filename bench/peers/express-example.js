'use strict';
// The Express example: what Pusher's documentation shows for user authentication (Express, cors, body
// parsers, authenticateUser) with a hard-coded user and no identity check at all. Written here
// so every run measures it on each runtime beside the service.
const express = require('express');
const cors = require('cors');
const Pusher = require('pusher');

const pusher = new Pusher({
  appId: process.env.PUSHER_APP_ID,
  key: process.env.PUSHER_KEY,
  secret: process.env.PUSHER_SECRET,
  cluster: 'mt1',
  useTLS: true,
});

const app = express();
app.use(cors());
app.use(express.json());
app.use(express.urlencoded({ extended: false }));

app.post('/pusher/user-auth', (req, res) => {
  const socketId = req.body.socket_id;
  const user = {
    id: 'some_id',
    user_info: { name: 'John Smith' },
    watchlist: ['another_id_1', 'another_id_2'],
  };
  const authResponse = pusher.authenticateUser(socketId, user);
  res.send(authResponse);
});

const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => {
  console.log(`baseline listening on 127.0.0.1:${server.address().port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
